"""The version stamped on every documents row: a document processed by an older version is
processed again by `minutes run` and `minutes ingest`."""
PIPELINE_VERSION = "0.3.0"
