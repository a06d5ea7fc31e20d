"""`minutes ingest` runs documents in the same worker pool as `minutes run`, so the per-document
time limit and memory cap hold there too. Each test puts one document that exceeds a limit by
construction beside a good one in an inbox: the bad one fails alone, the good one is read."""
import shutil
import zlib
from pathlib import Path

import duckdb

from cli.main import main
from tests.conftest import FIXTURES
from tests.faults.make_faults import _FONT, _text_page_content, _write_pdf

GOOD = FIXTURES / "att_list_comma.pdf"
SLOW_PAGES, SLOW_LINES = 1000, 40    # 40,000 lines of text: many seconds of work on any machine
MEMORY_CAP_MB = 800
HUNGRY_MIB = 1024            # what the hungry document's one content stream inflates to: over the cap


def slow_pdf(dest: Path, pages: int = SLOW_PAGES, lines: int = SLOW_LINES) -> None:
    """`pages` pages of `lines` different lines each: 1,000 pages of one line already take about a
    second to read and extract on a fast machine, this is forty times that work."""
    objects: list = [b"<</Type/Catalog/Pages 2 0 R>>", b"", _FONT]
    kids = []
    for i in range(1, pages + 1):
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                       b"/Resources<</Font<</F1 3 0 R>>>>/Contents %d 0 R>>" % (len(objects) + 2))
        text = [f"Liite {i}.{n}: asiakirja nro {i * 97 + n}, käsitelty {n % 28 + 1}.{i % 12 + 1}.2017 ja hyväksytty."
                for n in range(lines)]
        objects.append((b"<<>>", _text_page_content(text, top=800, size=8)))
    objects[1] = b"<</Type/Pages/Count %d/Kids[%s]>>" % (pages, b" ".join(kids))
    dest.write_bytes(_write_pdf(objects, root=1))


def hungry_pdf(dest: Path, mib: int = HUNGRY_MIB) -> None:
    """One page of text whose content stream inflates to `mib` MiB (blank space after the text):
    a ~1 MB file no reader can parse within a smaller address space."""
    c = zlib.compressobj(9)
    block = b" " * (1 << 20)
    text = _text_page_content(["Kokous 18.1.2017: tämä sivu vaatii paljon muistia."], top=420) + b"\n"
    data = b"".join([c.compress(text), *(c.compress(block) for _ in range(mib)), c.flush()])
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Count 1/Kids[4 0 R]>>", _FONT,
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>/Contents 5 0 R>>",
               (b"<</Filter/FlateDecode>>", data)]
    dest.write_bytes(_write_pdf(objects, root=1))


def _ingest_inbox(tmp_path: Path, bad_name: str, make_bad, *options: str) -> dict[str, tuple]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_bad(inbox / bad_name)
    shutil.copy(GOOD, inbox / "good.pdf")
    out = tmp_path / "store"
    assert main(["ingest", "--out", str(out), "--inbox", str(inbox), "--no-entities", "--workers", "1",
                 *options]) == 0
    with duckdb.connect(str(out / "minutes.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT file_name, status, error_type, error FROM documents").fetchall()
    return {name: (status, etype or "", error or "") for name, status, etype, error in rows}


def test_ingest_gives_up_on_a_document_over_the_time_limit(tmp_path, prefect_harness):
    """40,000 lines on 1,000 pages cannot be read in one second; before ingest used the worker
    pool, it read them in a thread, where no time limit fires."""
    got = _ingest_inbox(tmp_path, "slow.pdf", slow_pdf, "--timeout", "1")
    assert got["good.pdf"][:2] == ("ok", "")
    assert got["slow.pdf"][:2] == ("error", "timeout"), got


def test_ingest_fails_a_document_over_the_memory_cap_alone(tmp_path, prefect_harness):
    """A content stream that inflates to more than the worker's memory cap: too_large, and the
    other document of the batch is unharmed."""
    got = _ingest_inbox(tmp_path, "hungry.pdf", hungry_pdf, "--max-memory-mb", str(MEMORY_CAP_MB))
    assert got["good.pdf"][:2] == ("ok", "")
    status, etype, message = got["hungry.pdf"]
    assert (status, etype) == ("error", "too_large") and "memory" in message
