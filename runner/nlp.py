"""The spaCy Finnish model, loaded once per process with only the NER component."""
from __future__ import annotations

import threading

MODEL = "spacy_fi_experimental_web_md"
UNUSED = ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer"]  # NER has its own tok2vec

_lock = threading.Lock()
_nlp = None


def get_nlp():
    """Load on first use; every later call in this process (worker) gets the same object."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy
                try:
                    _nlp = spacy.load(MODEL, exclude=UNUSED)
                except OSError as e:
                    raise RuntimeError(f"spaCy model {MODEL} is not installed: pip install spacy-fi-experimental-web-md") from e
    return _nlp
