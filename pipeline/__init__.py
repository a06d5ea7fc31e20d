"""minutes: Finnish meeting documents (PDF, DOCX) in, queryable tables out."""
PIPELINE_VERSION = "0.2.0"


def code_fingerprint() -> str:
    """A hash of the pipeline's own source: cached task results never outlive a code change, even
    when a developer forgets to bump PIPELINE_VERSION."""
    import hashlib
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in ("models", "pipeline", "extractors"):
        for f in sorted((root / folder).glob("*.py")):
            h.update(f.read_bytes())
    return h.hexdigest()[:12]
