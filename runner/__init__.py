"""The batch runner: one document from file to rows (process.py), the worker pool with its time
limit and memory cap (workers.py), and the batch both `run` and `ingest` use (batch.py: plan,
process, write, summary; intake.py: what of the sources is new)."""
