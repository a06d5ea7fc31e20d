"""Hostile and broken inputs in one batch with good files: every good file processed, every bad
one an error row with the right error_type, nothing from an XXE target in any output, memory
bounded, a pathological document given up on after its time limit."""
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.run import run
from models.settings import Settings
from tests.test_ingest_limits import slow_pdf
from tests.conftest import ROOT
from tests.faults.make_faults import XXE_MARKER, build_fault_corpus

PEAK_MB = 1500


@pytest.fixture(scope="module")
def fault_batch(tmp_path_factory, prefect_harness):
    src = tmp_path_factory.mktemp("faults")
    expected = build_fault_corpus(src)
    out = tmp_path_factory.mktemp("faults-out")
    summary = run([str(src)], str(out), Settings(entities=False, ocr=False, timeout_seconds=60), workers=1)
    return src, out, expected, summary


def test_every_file_gets_the_right_outcome(fault_batch):
    src, out, expected, summary = fault_batch
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT source, status, error_type, error FROM documents").fetchall()
    got = {str(Path(s).relative_to(src)): ("ok" if st == "ok" else et) for s, st, et, _ in rows}
    documents = {k: v for k, v in expected.items() if k.endswith((".pdf", ".docx"))}   # others are skipped
    assert got == documents
    for _, status, etype, message in rows:
        if status == "error":
            assert message and ":" in message, "each error says what to do"
    assert summary.documents_ok == sum(1 for v in documents.values() if v == "ok")


def test_non_documents_and_folders_named_like_documents_are_skipped_and_counted(fault_batch):
    _, _, expected, summary = fault_batch
    others = [k for k in expected if not k.endswith((".pdf", ".docx"))]       # legacy.doc, plain_text.txt
    assert summary.skipped_files == len(others) + 2                          # + folder.pdf/ and the XXE target


def test_no_xxe_content_in_any_output(fault_batch):
    _, out, _, _ = fault_batch
    for f in out.iterdir():
        if f.is_file():
            assert XXE_MARKER.encode() not in f.read_bytes(), f.name


def test_worker_memory_bounded(fault_batch):
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < PEAK_MB, peak_mb


def test_pathological_document_times_out_and_the_batch_goes_on(tmp_path, prefect_harness):
    src = tmp_path / "in"
    src.mkdir()
    slow_pdf(src / "pages_1000.pdf")     # slow by construction: 40,000 lines, not one a page (any machine)
    shutil.copy(ROOT / "tests" / "fixtures" / "att_list_comma.pdf", src / "good.pdf")
    out = tmp_path / "out"
    summary = run([str(src)], str(out), Settings(entities=False, ocr=False, timeout_seconds=1.0), workers=1)
    assert summary.documents_ok == 1
    assert [(f.rsplit("/", 1)[-1], t) for f, t, _ in summary.failed] == [("pages_1000.pdf", "timeout")]


def test_fuzz_smoke():
    """A short, seeded share of the fuzzer in CI: no escaped exception, no internal error."""
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz_ingest.py"), "--seconds", "15",
                          "--seed", "3", "--engine", "random", "--timeout", "5", "--out", "/tmp/minutes-fuzz-ci"],
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stdout[-3000:]
