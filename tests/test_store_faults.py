"""The store under contention, on a full disk, and read by untrusted SQL: a writer waits for another
process's lock and then writes every row once (or, past its limit, says so in one line before any
work); a full disk is one clear line and keeps what was committed; a failed export leaves the
previous export set as it was; `minutes query` touches no file outside the store unless
--allow-files; data that looks like rich markup prints as data.

Real components only: a second process holding the DuckDB file, a real tmpfs for ENOSPC (mounting
needs root: skipped with the reason otherwise), real `minutes` subprocesses."""
from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cli.main import build_parser, dispatch, main
from models.result import DocumentResult
from models.rows import AgendaItemRow, DecisionRow, DocumentRow
from models.schema import EXPORT_TABLES
from research.exports import export, export_after_batch
from research.views import VIEWS, create_views, query
from store.database import STORE_FILE, Pending, Store
from store.errors import StoreFullError
from tests.conftest import FIXTURES, ROOT

SUBPROCESS_TIMEOUT = 600          # a hang guard for `minutes` subprocesses on a loaded machine, not a timing check
SHORT_LOCK_WAIT = 1.0             # the wait limit a test gives a writer that must give up
TMPFS_SMALL = "2m"                # a disk that a few MB of rows fill
TMPFS_RUN = "24m"                 # room for one small run's store and exports, then filled on purpose
FIXTURE_A = ("att_list_comma.pdf", "att_list_comma.docx")
FIXTURE_B = ("items_asia_bold_decisions.pdf", "items_asia_bold_decisions.docx", "dec_helsinki_order.pdf")


# -- helpers -------------------------------------------------------------------------------
def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")


def _minutes(*argv: str, lock_wait: float | None = None) -> list[str]:
    """A `minutes` command line in a fresh interpreter; `lock_wait` sets the store's wait limit."""
    if lock_wait is None:
        return [sys.executable, "-m", "cli.main", *argv]
    code = ("import sys, store.database as d; d.STORE_LOCK_WAIT_SECONDS = d.STORE_READ_WAIT_SECONDS = "
            f"{lock_wait!r}; from cli.main import main; sys.exit(main(sys.argv[1:]))")
    return [sys.executable, "-c", code, *argv]


@contextlib.contextmanager
def holding(store_file: Path):
    """Another process holding the store (as a second run or a DuckDB shell would) until the
    block ends or the caller closes its stdin; yields the Popen."""
    code = ("import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read(); con.close()")
    proc = subprocess.Popen([sys.executable, "-c", code, str(store_file)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(timeout=60)


def _copy_fixtures(names, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(FIXTURES / n, dest / n)
    return dest


def _fake_result(i: int, body_chars: int = 200, title: str = "") -> DocumentResult:
    """A document's rows as a worker would return them (bodies of random letters: incompressible)."""
    doc_id = f"doc{i:06d}"
    rnd = random.Random(i)
    doc = DocumentRow(doc_id=doc_id, source=f"/archive/{i}.pdf", file_name=f"{i}.pdf", format="pdf",
                      doc_type="poytakirja", organ="Kunnanhallitus", meeting_date=f"2020-01-{i % 28 + 1:02d}",
                      title=title or f"Pöytäkirja {i}", pages=1)
    items = [AgendaItemRow(doc_id, str(k), f"Asia {k}", seq=k, page=1, row_id=f"{doc_id}-i{k}",
                           body="".join(rnd.choices(string.ascii_letters, k=body_chars))) for k in range(1, 6)]
    decisions = [DecisionRow(doc_id, str(k), "Hyväksyttiin.", resolution="approved", page=1,
                             row_id=f"{doc_id}-d{k}") for k in range(1, 6)]
    return DocumentResult(document=doc, tables={"agenda_items": items, "decisions": decisions})


def _counts(store_dir: Path) -> dict[str, int]:
    with duckdb.connect(str(store_dir / STORE_FILE), read_only=True) as con:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in ("documents", "agenda_items", "decisions")}


def _assert_no_duplicates(store_dir: Path) -> None:
    with duckdb.connect(str(store_dir / STORE_FILE), read_only=True) as con:
        assert con.execute("SELECT count(*) = count(DISTINCT doc_id) FROM documents").fetchone()[0]
        for t in ("agenda_items", "decisions", "attendance"):
            assert con.execute(f"SELECT count(*) = count(DISTINCT row_id) FROM {t}").fetchone()[0], t


def _one_error_line(stderr: str, command: str) -> str:
    """The error line a command ends with; no traceback of ours before it."""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    assert lines and lines[-1].startswith(f"minutes {command}: "), stderr[-3000:]
    return lines[-1]


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small real tmpfs (root only); `tmpfs(size)` returns its folder. Unmounted after."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        if os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs to fill needs root")
        d = tmp_path / f"disk{len(mounted)}"
        d.mkdir()
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(d)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
        mounted.append(d)
        return d

    yield mount
    for d in mounted:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


def _fill(folder: Path) -> Path:
    """Fill the file system under `folder` to the last byte; returns the filler to delete."""
    filler = folder / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(chunk)
        except OSError as e:
            assert e.errno == errno.ENOSPC
    with open(filler, "ab", buffering=0) as f:      # the last partial chunk
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\0" * 512)
    return filler


# -- 1. one writer at a time -----------------------------------------------------------------
def test_second_writer_waits_for_the_lock_then_writes_every_row_once(tmp_path):
    """A `minutes run` started while another process holds the store waits (one log line naming
    the holder), then processes everything once the holder lets go: no document lost or doubled."""
    src = _copy_fixtures(FIXTURE_A + FIXTURE_B, tmp_path / "in")
    out = tmp_path / "out"
    with Store(out) as store:                        # the store exists, so the run plans against it
        store.write_many([Pending(_fake_result(1))])
    with holding(out / STORE_FILE) as holder:
        run = subprocess.Popen(_minutes("run", str(src), "--out", str(out), "--no-entities", "--no-progress",
                                        "--workers", "1"),
                               cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = ""
        for line in run.stderr:                      # it says it waits, and for whom, before doing anything
            if "waiting for the store" in line:
                waiting = line
                break
        assert waiting, "the second writer never said it was waiting"
        assert f"pid {holder.pid}" in waiting and str(out / STORE_FILE) in waiting
        assert run.poll() is None                    # still waiting while the holder holds
        holder.stdin.close()                         # the holder exits: the writer may go on
        stdout, stderr = run.communicate(timeout=SUBPROCESS_TIMEOUT)
    assert run.returncode == 0, stdout[-2000:] + stderr[-2000:]
    assert "5 ok, 0 failed" in stdout
    contents = {p.read_bytes() for p in src.iterdir()}
    assert _counts(out)["documents"] == len(contents) + 1          # + the one written before
    _assert_no_duplicates(out)


def test_writer_past_its_wait_limit_fails_in_one_line_before_any_work(tmp_path):
    """With the lock never freed, `minutes run` gives up after its limit with one line that names
    the holder and what to do, and writes nothing; a reader (`minutes query`) says so likewise."""
    src = _copy_fixtures(FIXTURE_A, tmp_path / "in")
    out = tmp_path / "out"
    Store(out).close()
    with holding(out / STORE_FILE) as holder:
        res = subprocess.run(_minutes("run", str(src), "--out", str(out), "--no-entities", "--no-progress",
                                      lock_wait=SHORT_LOCK_WAIT),
                             cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
        read = subprocess.run(_minutes("query", "SELECT count(*) FROM documents", "--store", str(out),
                                       lock_wait=SHORT_LOCK_WAIT),
                              cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    assert res.returncode == 2 and res.stdout == "", res.stdout[-2000:]    # no summary: nothing was processed
    assert "Traceback" not in res.stderr
    line = _one_error_line(res.stderr, "run")
    assert line.startswith(f"minutes run: another minutes process (pid {holder.pid}, ")      # + its program
    assert line.endswith(f") holds {out / STORE_FILE}: wait for it or use another --out")
    assert _counts(out) == {"documents": 0, "agenda_items": 0, "decisions": 0}
    assert read.returncode == 2 and "Traceback" not in read.stderr
    line = _one_error_line(read.stderr, "query")
    assert f"pid {holder.pid}" in line and "is writing" in line and "run this again when it has finished" in line


# -- 2. disk full while writing --------------------------------------------------------------
def test_disk_full_while_writing_is_one_clear_error_and_keeps_committed_documents(tmpfs):
    """ENOSPC at COMMIT is StoreFullError (not 'cannot rollback - no transaction is active'), the
    store stays usable, every committed document is there, and after space is freed the failed
    batch is written once."""
    out = tmpfs(TMPFS_SMALL) / "store"
    committed: list[int] = []
    failed_batch: list[int] = []
    with Store(out) as store:
        with pytest.raises(StoreFullError) as caught:
            for start in range(0, 10_000, 5):
                failed_batch = list(range(start, start + 5))
                store.write_many([Pending(_fake_result(i, body_chars=4000)) for i in failed_batch])
                committed.extend(failed_batch)
        assert committed, "the disk filled before the first batch: make the tmpfs larger"
        assert str(caught.value) == (f"disk full writing {out / STORE_FILE}: free space and run again; "
                                     "documents committed so far are kept")
        assert caught.value.errno == errno.ENOSPC
        assert "No space left on device" in str(caught.value.__cause__)          # the real cause, not masked
        assert "cannot rollback" not in str(caught.value.__cause__)
        assert store.count("documents") == len(committed)                        # still usable
    subprocess.run(["mount", "-o", f"remount,size={TMPFS_RUN}", str(out.parent)], check=True)
    assert _counts(out) == {"documents": len(committed), "agenda_items": 5 * len(committed),
                            "decisions": 5 * len(committed)}
    with Store(out) as store:                        # space again: the failed batch, then a copy of it
        store.write_many([Pending(_fake_result(i, body_chars=4000)) for i in failed_batch])
        store.write_many([Pending(_fake_result(i, body_chars=4000)) for i in failed_batch])
    assert _counts(out)["documents"] == len(committed) + len(failed_batch)
    _assert_no_duplicates(out)


def test_minutes_run_on_a_full_disk_ends_with_one_line_and_a_rerun_completes(tmp_path, tmpfs):
    """The reviewer's reproduction: a run whose disk fills says so in its last line (exit 2), the
    documents of the earlier run are kept, and after freeing space a re-run ends with every
    document once."""
    disk = tmpfs(TMPFS_RUN)
    out = disk / "out"
    a = _copy_fixtures(FIXTURE_A, tmp_path / "a")
    b = _copy_fixtures(FIXTURE_B, tmp_path / "b")
    args = ("--out", str(out), "--no-entities", "--no-progress", "--workers", "1")
    assert main(["run", str(a), *args]) == 0          # the runs before and after in this process: quicker
    before = _counts(out)
    filler = _fill(disk)
    full = subprocess.run(_minutes("run", str(a), str(b), *args), cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=SUBPROCESS_TIMEOUT)
    assert full.returncode == 2
    line = _one_error_line(full.stderr, "run")
    assert line == (f"minutes run: disk full writing {out / STORE_FILE}: free space and run again; "
                    "documents committed so far are kept")
    assert "cannot rollback" not in full.stderr
    filler.unlink()
    assert _counts(out) == before                    # the first run's documents are all there
    assert main(["run", str(a), str(b), *args]) == 0
    assert _counts(out)["documents"] == len(FIXTURE_A) + len(FIXTURE_B)
    _assert_no_duplicates(out)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_disk_full_after_the_batch_is_the_same_clear_error(tmpfs):
    """The step after the last write (views and person keys into the store, then the exports)
    fails on a full disk with the same line, and the documents stay."""
    disk = tmpfs(TMPFS_RUN)
    out = disk / "store"
    with Store(out) as store:
        store.write_many([Pending(_fake_result(i)) for i in range(3)])
        _fill(disk)
        with pytest.raises(StoreFullError) as caught:
            export_after_batch(store, out)
    assert str(caught.value) == (f"disk full writing {out / STORE_FILE}: free space and run again; "
                                 "documents committed so far are kept")
    assert _counts(out)["documents"] == 3


# -- 3. disk full while exporting ------------------------------------------------------------
def test_export_on_a_full_disk_keeps_the_previous_export_set(tmp_path, tmpfs):
    """A store that outgrew the export disk: the export fails with one clear error, every file of
    the previous set is byte-for-byte what it was, and no temporary file is left behind; the
    same for a single-file export (SQLite) and through `minutes export`."""
    store_dir = tmp_path / "store"
    with Store(store_dir) as store:
        store.write_many([Pending(_fake_result(i)) for i in range(3)])
    disk = tmpfs(TMPFS_SMALL)
    parquet, sqlite_file = disk / "parquet", disk / "minutes.sqlite"
    export("parquet", store_dir, parquet)
    export("sqlite", store_dir, sqlite_file)
    previous = {p.name: p.read_bytes() for p in parquet.iterdir()}
    previous_sqlite = sqlite_file.read_bytes()
    assert len(previous) == len(EXPORT_TABLES) and previous["documents.parquet"]
    with Store(store_dir) as store:                  # now far more than the disk holds
        store.write_many([Pending(_fake_result(i, body_chars=60_000)) for i in range(3, 40)])

    with pytest.raises(StoreFullError) as caught:
        export("parquet", store_dir, parquet)
    assert str(caught.value).startswith(f"disk full writing {parquet}/")
    assert str(caught.value).endswith(": free space and run again; the previous export files are kept")
    assert {p.name: p.read_bytes() for p in parquet.iterdir()} == previous

    with pytest.raises(StoreFullError):
        export("sqlite", store_dir, sqlite_file)
    assert sqlite_file.read_bytes() == previous_sqlite
    assert sorted(p.name for p in disk.iterdir()) == ["metadata.json", "minutes.sqlite", "parquet"]   # no temporaries

    res = subprocess.run(_minutes("export", "--format", "csv", "--out", str(disk / "csv"), "--store", str(store_dir)),
                         cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert _one_error_line(res.stderr, "export").endswith("free space and run again; the previous export files are kept")
    assert list((disk / "csv").iterdir()) == []


# -- 4. research queries stay inside the store -------------------------------------------------
@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """A store of a few documents with the research views in it."""
    out = tmp_path_factory.mktemp("query-store")
    with Store(out) as store:
        store.write_many([Pending(_fake_result(i, title=t)) for i, t in
                          enumerate(["Pöytäkirja [/b] 1", "[bold red]Ei väriä[/bold red]", "Pöytäkirja 3"])])
        create_views(store.con)
    return out


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = dispatch(build_parser().parse_args(list(argv)))
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.mark.parametrize("sql, touched", [
    ("COPY documents TO '{tmp}/copied.csv'", "copied.csv"),
    ("SELECT 1; COPY (SELECT * FROM meetings) TO '{tmp}/second_statement.parquet' (FORMAT PARQUET)",
     "second_statement.parquet"),
    ("SELECT * FROM read_text('/etc/passwd')", None),
    ("SELECT * FROM read_csv('/etc/passwd')", None),
    ("ATTACH '{tmp}/other.duckdb' AS other (READ_WRITE)", "other.duckdb"),
    ("INSTALL httpfs", None),
    ("SET enable_external_access = true", None),
    ("SET lock_configuration = false", None),
    ("RESET enable_external_access", None),
])
def test_query_refuses_to_touch_files_outside_the_store(small_store, tmp_path, capsys, sql, touched):
    sql = sql.format(tmp=tmp_path)
    before = _counts(small_store)
    code, out, err = _cli(capsys, "query", sql, "--store", str(small_store), "--format", "csv")
    assert code == 2 and out == ""
    line = _one_error_line(err, "query")
    assert "--allow-files" in line and len(err.strip().splitlines()) == 1
    assert "root:" not in out + err
    assert list(tmp_path.iterdir()) == [], touched        # nothing written, created or attached
    assert _counts(small_store) == before


def test_query_allow_files_lets_copy_write_and_views_work_without_it(small_store, tmp_path, capsys):
    for view in VIEWS:                                  # the store's views read only tables
        query(small_store, f"SELECT count(*) FROM {view}")
    assert query(small_store, "SELECT count(*) FROM meetings")[1] == [(3,)]
    target = tmp_path / "meetings.csv"
    code, _, err = _cli(capsys, "query", f"COPY (SELECT doc_id FROM meetings ORDER BY doc_id) TO '{target}'",
                        "--store", str(small_store), "--allow-files")
    assert code == 0, err
    assert target.read_text().split() == ["doc_id", "doc000000", "doc000001", "doc000002"]


def test_query_on_a_store_without_views_still_works_with_files_refused(small_store, tmp_path):
    """An older store gets TEMP views on the read-only, no-files connection."""
    copy = tmp_path / "old"
    copy.mkdir()
    shutil.copy(small_store / STORE_FILE, copy / STORE_FILE)
    with duckdb.connect(str(copy / STORE_FILE)) as con:
        for view in VIEWS:
            con.execute(f"DROP VIEW {view}")
    assert query(copy, "SELECT count(*) FROM decisions_full")[1] == [(15,)]
    with pytest.raises(PermissionError):
        query(copy, f"COPY documents TO '{tmp_path / 'x.csv'}'")
    assert not (tmp_path / "x.csv").exists()


# -- 5. data is not markup ---------------------------------------------------------------------
def test_query_table_prints_titles_that_look_like_rich_markup(small_store, capsys):
    code, out, err = _cli(capsys, "query", 'SELECT title AS "[/i]" FROM documents ORDER BY doc_id',
                          "--store", str(small_store), "--format", "table")
    assert code == 0, err
    assert "[/i]" in out and "Pöytäkirja [/b] 1" in out
    assert "[bold red]Ei väriä[/bold red]" in out              # printed as written, not styled away


def test_search_in_a_terminal_prints_titles_that_look_like_rich_markup(tmp_path):
    """`minutes search` styles its output only in a terminal: run it on a real pseudo-terminal."""
    import pty
    result = _fake_result(1)
    result.document.organ = "Lautakunta [/i]"
    result.tables["agenda_items"][0].title = "Kotihoidon [/b] maksut [bold red]x"
    with Store(tmp_path / "store") as store:
        store.write_many([Pending(result)])
    master, slave = pty.openpty()
    proc = subprocess.Popen(_minutes("search", "kotihoito", "--store", str(tmp_path / "store")), cwd=ROOT,
                            env=_env(), stdout=slave, stderr=subprocess.PIPE, text=True)
    os.close(slave)
    shown = b""
    with contextlib.suppress(OSError):           # EIO once the child has closed the terminal
        while chunk := os.read(master, 65536):
            shown += chunk
    os.close(master)
    assert proc.wait(timeout=SUBPROCESS_TIMEOUT) == 0, proc.stderr.read()
    text = shown.decode()
    assert "\x1b[" in text                        # styled: it did take the terminal path
    assert "Lautakunta [/i]" in text and "[/b] maksut [bold red]x" in text
