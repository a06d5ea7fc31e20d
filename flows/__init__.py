"""Prefect flows: orchestration only; the work is in pipeline/ and extractors/."""
