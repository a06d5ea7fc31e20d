"""Prefect flows: tasks, retries, caching, schedules; the work is in runner/ (the batch runner)."""
