"""minutes: Finnish meeting documents (PDF, DOCX) in, queryable tables out."""
PIPELINE_VERSION = "0.1.0"
