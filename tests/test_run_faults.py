"""A batch as an analyst runs it, when the machine or the files are hostile: a killed command, a
stop signal, names that are not UTF-8, files and folders it may not read, and typos on the
command line. Each ends in a clear line or error row, with no lost or duplicated rows."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from cli.main import main
from models.settings import Settings
from runner.reaper import POLL_SECONDS
from runner.workers import WORKER_NICENESS
from tests.conftest import ROOT
from tests.test_ingest_limits import SLOW_LINES, slow_pdf

SAMPLES = ROOT / "samples"
GOOD_PDF = SAMPLES / "muistio_hyvinvointijohtoryhma_2018-03-14.pdf"
GOOD_DOCX = SAMPLES / "poytakirja_perusturvalautakunta_2017-09-12.docx"
START_DEADLINE = 240            # seconds for a run to reach its workers on a loaded machine
END_DEADLINE = 60               # seconds for processes to go once told to


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", *args]


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")


def _rows(out: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _wait_for_workers(proc: subprocess.Popen) -> list[psutil.Process]:
    """The command's descendants once its worker pool and Prefect's server are up."""
    parent = psutil.Process(proc.pid)
    deadline = time.time() + START_DEADLINE
    while time.time() < deadline and proc.poll() is None:
        kids = parent.children(recursive=True)
        lines = [" ".join(k.cmdline()) for k in kids if k.is_running()]
        if any("forkserver" in c for c in lines) and any("uvicorn" in c for c in lines) and len(kids) >= 4:
            time.sleep(3 * POLL_SECONDS)       # the watcher notes descendants once per POLL_SECONDS
            return [k for k in parent.children(recursive=True) if k.is_running()]
        time.sleep(0.5)
    pytest.fail("the run never started its workers and Prefect's server")


def _gone(processes: list[psutil.Process]) -> list[psutil.Process]:
    deadline = time.time() + END_DEADLINE
    while time.time() < deadline:
        alive = [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return []
        time.sleep(0.5)
    return alive


@pytest.fixture
def slow_batch(tmp_path):
    """A folder whose second document keeps a worker busy for minutes (slow by construction:
    160,000 lines on 2,000 pages, the page limit, ~2 minutes of work on a 2-core machine), far
    longer than END_DEADLINE, so a command that waits for its documents instead of ending them
    fails the SIGTERM test."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(GOOD_PDF, src / "a_good.pdf")
    slow_pdf(src / "b_slow.pdf", pages=Settings().max_pages, lines=2 * SLOW_LINES)
    return src


def _start(src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(_cli("run", str(src), "--out", str(out), "--workers", "1", "--no-entities",
                                 "--timeout", "3600", "--progress", "lines"),
                            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_kill_9_of_the_command_ends_its_workers_forkserver_and_prefect_server(slow_batch, tmp_path):
    proc = _start(slow_batch, tmp_path / "out")
    try:
        children = _wait_for_workers(proc)
        # the workers yield the CPU to the command and Prefect's server, which keep their priority
        # (a server starved behind OCR workers killed whole batches on 2 cores)
        main_nice = psutil.Process(proc.pid).nice()
        server = next(p for p in children if "uvicorn" in " ".join(p.cmdline()))
        workers = [p for p in children if p.ppid() != proc.pid and "forkserver" in " ".join(p.cmdline())]
        assert server.nice() == main_nice and workers
        assert all(w.nice() == main_nice + WORKER_NICENESS for w in workers)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=END_DEADLINE)
        left = _gone(children)
        assert not left, f"orphans left behind: {[(p.pid, p.create_time(), ' '.join(p.cmdline())[:80]) for p in left]}"
    finally:
        with_kill(proc)


def test_sigterm_stops_the_batch_keeping_what_was_written(slow_batch, tmp_path):
    out = tmp_path / "out"
    proc = _start(slow_batch, out)
    try:
        for line in proc.stderr:                       # the good document is written first
            if "ok a_good.pdf" in line:
                break
        children = _wait_for_workers(proc)
        assert proc.poll() is None, "the batch ended before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=END_DEADLINE)
        assert proc.returncode == 130
        assert "interrupted; documents written so far are kept" in err
        assert "Traceback" not in err
        assert not _gone(children)
    finally:
        with_kill(proc)
    assert _rows(out, "SELECT file_name, status FROM documents") == [("a_good.pdf", "ok")]
    assert _rows(out, "SELECT count(*) FROM agenda_items")[0][0] > 0


def with_kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_latin1_file_name_is_stored_readably_and_a_rerun_adds_nothing(tmp_path, capsys):
    src = tmp_path / "share"
    src.mkdir()
    latin1 = os.fsencode(src) + b"/p\xe4\xe4t\xf6s.pdf"       # 'päätös.pdf' as an old Windows share names it
    shutil.copy(GOOD_PDF, latin1)
    out = tmp_path / "out"
    for _ in range(2):
        assert main(["run", str(src), "--out", str(out), "--workers", "0", "--no-entities", "--no-progress"]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert _rows(out, "SELECT file_name, status FROM documents") == [("päätös.pdf", "ok")]
    assert _rows(out, "SELECT source FROM sources") == [(str(src / "päätös.pdf"),)]
    assert _rows(out, "SELECT count(*) FROM agenda_items")[0][0] == \
        _rows(out, "SELECT count(DISTINCT row_id) FROM agenda_items")[0][0] > 0


def _without_read_override() -> list[str]:
    """Root reads any file; without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH it obeys file modes."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_unreadable_file_and_folder_are_permission_errors_and_the_rest_is_stored(tmp_path):
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    shutil.copy(GOOD_PDF, src / "good.pdf")
    shutil.copy(GOOD_DOCX, src / "secret.docx")
    shutil.copy(GOOD_DOCX, src / "locked" / "inside.docx")
    (src / "secret.docx").chmod(0)
    (src / "locked").chmod(0)
    out = tmp_path / "out"
    try:
        run = subprocess.run(_without_read_override() + _cli("run", str(src), "--out", str(out), "--workers", "1",
                                                             "--no-entities", "--no-progress"),
                             cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    finally:
        (src / "locked").chmod(0o755)
        (src / "secret.docx").chmod(0o644)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "documents: 1 ok, 2 failed" in run.stdout
    errors = dict(_rows(out, "SELECT source, error_type FROM errors"))
    assert errors == {str(src / "secret.docx"): "permission", str(src / "locked"): "permission"}
    assert "permission denied" in run.stdout
    assert _rows(out, "SELECT file_name, status FROM documents WHERE status = 'ok'") == [("good.pdf", "ok")]


@pytest.mark.parametrize("args, says", [
    (["run", "no/such/folder", "--out", "OUT"], "no/such/folder: no such file or folder"),
    (["run", "samples", "--out", "OUT", "--workers", "-1"], "--workers: must be 0 or more (got -1)"),
    (["run", "samples", "--out", "OUT", "--timeout", "0"], "--timeout: must be more than 0"),
    (["run", "samples", "--out", "OUT", "--max-mb", "lots"], "--max-mb: 'lots' is not a number"),
    (["run", "samples", "--out", "OUT", "--docs-per-task", "0"], "--docs-per-task: must be 1 or more"),
    (["ingest", "--out", "OUT", "--inbox", "samples", "--http-timeout", "-5"], "--http-timeout: must be more than 0"),
])
def test_bad_input_fails_before_anything_starts_with_one_line(tmp_path, args, says):
    out = tmp_path / "out"
    done = subprocess.run(_cli(*[str(out) if a == "OUT" else a for a in args]), cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert says in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()                    # no store made, no Prefect started


def test_version_names_the_pipeline_and_schema(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    from models.schema import SCHEMA_VERSION
    from models.version import PIPELINE_VERSION
    assert f"pipeline {PIPELINE_VERSION}, store schema {SCHEMA_VERSION}" in capsys.readouterr().out


def test_lines_progress_reports_each_document_and_skips_are_counted_by_reason(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(GOOD_PDF, src / "good.pdf")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (src / "notes.txt").write_text("muistiinpanot")
    (src / "budget.xlsx").write_bytes(b"PK")
    (src / "~$good.docx").write_bytes(b"lock")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--workers", "0", "--no-entities",
                 "--progress", "lines", "-v"]) == 0
    got = capsys.readouterr()
    assert "[1/2] FAILED broken.pdf: [corrupt]" in got.err or "[2/2] FAILED broken.pdf: [corrupt]" in got.err
    assert any(line.startswith("[") and "ok good.pdf (4 p)" in line for line in got.err.splitlines())
    assert "3 other files skipped (1 .txt file, 1 .xlsx file, 1 hidden or Word lock file)" in got.out
    assert f"skipped {src / 'notes.txt'}: .txt file" in got.out


def test_live_display_shows_starting_progress_and_failures_as_they_happen():
    from runner.progress import make_display
    screen = io.StringIO()
    display = make_display("bar", screen)
    display.starting("starting Prefect ...")
    display.begin(3)
    display.advance("a.pdf", pages=4)
    display.advance("b[/b].pdf", pages=0, error="[corrupt] b[/b].pdf is not a readable PDF")
    display.advance(unchanged=True)
    display.close()
    shown = screen.getvalue()
    assert "failed b[/b].pdf: [corrupt] b[/b].pdf is not a readable PDF" in shown    # data, not markup
    assert "3/3" in shown and "4 pages" in shown and "pages/s" in shown
    assert make_display("auto", io.StringIO()).__class__.__name__ == "NoBar"         # quiet off a terminal


def test_ingest_fail_on_error_exits_1_after_storing_the_good_document(tmp_path, capsys, prefect_harness):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(GOOD_PDF, inbox / "good.pdf")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "out"
    args = ["ingest", "--out", str(out), "--inbox", str(inbox), "--workers", "0", "--no-entities", "--no-progress"]
    assert main(args) == 0                              # a completed pass is success by default
    assert main(args + ["--reprocess", "--fail-on-error"]) == 1
    assert "1 ok, 1 failed" in capsys.readouterr().out
    assert dict(_rows(out, "SELECT file_name, status FROM documents")) == {"good.pdf": "ok", "broken.pdf": "error"}
