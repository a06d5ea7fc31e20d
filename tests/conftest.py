"""Shared fixtures: one Prefect test harness and one spaCy model for the whole session, and the
locations of real documents (samples/, tests/fixtures/, ../shared/devset/)."""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import threading
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
DEVSET = SHARED / "devset"
SEEDS = SHARED / "seeds"
# the project's devset and seeds sit beside a checkout on the project's machines, not in a user's clone
needs_shared = pytest.mark.skipif(not (DEVSET.exists() and SEEDS.exists()),
                                  reason="needs ../shared (devset and seeds), which a user's clone has not")
GOLDEN = ROOT / "tests" / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"   # regenerate: UPDATE_GOLDEN=1 scripts/test.sh

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# Prefect's result cache lives under PREFECT_HOME: each test session gets its own, so results cached
# by earlier runs (or other code versions) on this machine can never answer a test
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="minutes-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)   # one per test process
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# a `minutes run` subprocess starts its own ephemeral server: on a loaded machine (2 cores, the session's
# harness server, workers loading spaCy) that can take longer than Prefect's default of 20 s
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def devset_files() -> list[Path]:
    return sorted(DEVSET.glob("sote-johtoryhma-*.*"))


def real_files() -> list[Path]:
    return sorted(p for p in (DEVSET / "real").glob("r*.*") if p.suffix in (".pdf", ".docx"))


def gold_for(path: Path) -> dict:
    """Gold annotations sit in a gold/ folder beside the documents they describe."""
    return json.loads((path.parent / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))


def document_from_text(text: str, name: str = "seed.txt"):
    """A Document from the seeds' extracted text (markdown-ish: '#' headings, '**' bold, '- '
    bullets), so extractors can be tested on the real seed content."""
    import re
    from models.document import Document, Paragraph
    blocks = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        heading = len(line) - len(line.lstrip("#")) if line.lstrip().startswith("#") else 0
        stripped = line.lstrip("# ").strip()
        bold = stripped.startswith("**") and stripped.rstrip().endswith("**")
        bullet = bool(re.match(r"^\s*[-•*]\s+", stripped)) and not stripped.startswith("**")
        clean = re.sub(r"\*\*", "", stripped)
        clean = re.sub(r"^\s*[-•*]\s+", "", clean) if bullet else clean
        if clean.strip():
            blocks.append(Paragraph(text=clean.strip(), page=1, bold=bold, heading=min(heading, 3), bullet=bullet))
    return Document(doc_id="seed-" + name, source=name, file_name=name, format="txt", pages=1, blocks=blocks)


@pytest.fixture(scope="session")
def prefect_harness():
    """One ephemeral Prefect backend for all flow tests (starting one costs ~9 s)."""
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def samples_store(tmp_path_factory, prefect_harness) -> Path:
    """samples/ (PDF and DOCX copies of four meetings) through the real flow once per session, for
    the research, export and report tests; those that change rows work on a copy."""
    from flows.run import run_flow
    from models.settings import Settings
    out = tmp_path_factory.mktemp("samples-store")
    run_flow(paths=[str(SAMPLES)], out=str(out), settings=Settings(entities=False))
    return out


@contextlib.contextmanager
def local_http(handler):
    """A real HTTP server on 127.0.0.1 (a free port) in a thread: yields its base URL."""
    from http.server import ThreadingHTTPServer
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def exported_json(write, store: Path, out: Path) -> dict:
    """A JSON export written by `write(store, out)` and read back; the counts it returns must be
    the lengths of the lists it wrote."""
    counts = write(store, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert counts == {k: len(v) for k, v in data.items() if isinstance(v, list)}
    return data


@pytest.fixture(scope="session")
def nlp():
    from runner.nlp import get_nlp
    return get_nlp()


@pytest.fixture(scope="session")
def ingested():
    """Ingest each real document once per session: ingest(path) -> Document."""
    from readers.read import read_document
    from models.settings import Settings
    cache: dict = {}

    def get(path: Path, ocr: bool = False):
        key = (str(path), ocr)
        if key not in cache:
            cache[key] = read_document(path, Settings(ocr=ocr))
        return cache[key]
    return get


@pytest.fixture(scope="session")
def processed(ingested):
    """Structure and meeting of a document, computed once: path -> (doc, structure, meeting)."""
    from extractors.metadata import extract_meeting
    from extractors.structure import find_structure
    cache: dict = {}

    def get(path: Path, ocr: bool = False):
        key = (str(path), ocr)
        if key not in cache:
            doc = ingested(path, ocr)
            structure = find_structure(doc)
            cache[key] = (doc, structure, extract_meeting(doc, structure))
        return cache[key]
    return get


@pytest.fixture(scope="session")
def layout_case(tmp_path_factory):
    """A layout variant of tests/layouts.py rendered as PDF and DOCX and processed once per
    session: (name, format) -> DocumentResult."""
    from runner.process import process_document
    from models.settings import Settings
    from tests.layouts import render
    out = tmp_path_factory.mktemp("layouts")
    cache: dict = {}

    def get(name: str, fmt: str):
        if (name, fmt) not in cache:
            paths = render(name, out)
            for f, p in paths.items():
                cache[(name, f)] = process_document(p, Settings(entities=False))
        return cache[(name, fmt)]
    return get
