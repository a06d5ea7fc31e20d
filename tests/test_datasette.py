"""The SQLite export as a researcher meets it: a real `datasette` subprocess serving an export of
samples/ (built by the real flow) with its metadata.json and the minutes plugin, asked through its
JSON API for tables, labels instead of doc_ids, facets, Finnish search that finds inflected forms,
and one copy per meeting; plus the file's keys checked with sqlite3 itself."""
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from cli.main import build_parser, dispatch
from research.datasette_metadata import METADATA_FILE
from research.sqlite import export_sqlite, fts_query
from research.views import query
from tests.conftest import ROOT

pytest.importorskip("datasette")

STARTUP_LIMIT_S = 180            # a loaded machine may start Datasette slowly; this only bounds a hang
ITEM = "Kotihoidon asiakasmaksujen tarkistaminen 1.1.2018 alkaen"   # the item whose text has 'kotihoidon'
PLUGIN_SHIM = "from research.datasette_plugin import *  # noqa: F401,F403\n"


@pytest.fixture(scope="module")
def store(samples_store):
    return samples_store


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory):
    """The export made by the CLI, as a user makes it: (sqlite path, what the command printed)."""
    out = tmp_path_factory.mktemp("datasette-export") / "minutes.sqlite"
    cmd = [sys.executable, "-m", "cli", "export", "--format", "sqlite", "--out", str(out), "--store", str(store)]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=_env())
    assert res.returncode == 0, res.stderr
    return out, res.stdout


def _env() -> dict:
    import os
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def datasette(exported, tmp_path_factory):
    """A real Datasette on 127.0.0.1 serving the export with its metadata.json and minutes' plugin;
    yields get(path) -> parsed JSON."""
    db, _ = exported
    plugins = tmp_path_factory.mktemp("datasette-plugins")
    (plugins / "minutes_fi.py").write_text(PLUGIN_SHIM, encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "-m", str(db.with_name(METADATA_FILE)),
                             "--plugins-dir", str(plugins), "-h", "127.0.0.1", "-p", str(port)],
                            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"

    def get(path: str):
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return json.loads(r.read().decode("utf-8"))
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"datasette exited {proc.returncode}: {proc.stdout.read()}")
            try:
                get("/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("datasette did not answer")
                time.sleep(0.2)
        yield get
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rows(get, table: str, **params) -> list[dict]:
    params = {"_shape": "array", "_size": "max", **params}
    return get(f"/minutes/{table}.json?{urllib.parse.urlencode(params)}")


# -- through Datasette ---------------------------------------------------------------------
def test_datasette_lists_the_tables_and_hides_the_indexes(datasette):
    tables = {t["name"]: t for t in datasette("/minutes.json")["tables"]}
    for name in ("documents", "meetings", "agenda_items", "decisions", "attendance", "people", "decisions_full"):
        assert name in tables and not tables[name]["hidden"], name
    assert tables["agenda_items_fts"]["hidden"] and tables["decisions_fts"]["hidden"]
    assert tables["meetings"]["primary_keys"] == ["meeting_key"] and tables["documents"]["primary_keys"] == ["doc_id"]
    assert tables["agenda_items"]["count"] == 32                 # 4 meetings' items, not 8 files'


def test_labels_name_files_and_meetings_instead_of_doc_ids(datasette):
    items = rows(datasette, "agenda_items", _labels="on")
    assert items
    for row in items:
        assert len(row["doc_id"]["value"]) == 64 and row["doc_id"]["label"] == row["file_name"]
        assert row["meeting_key"]["label"].startswith(f"{row['organ']} ")
        assert row["organ"] and row["meeting_date"] and row["page"] >= 1 and row["year"] == int(row["meeting_date"][:4])
    labels = {r["meeting_key"]["label"] for r in items}
    assert "Perusturvalautakunta 12.9.2017 (§ 1–10)" in labels
    decisions = rows(datasette, "decisions", _labels="on", stage="decision")
    vote = next(d for d in decisions if d["item_title"] == ITEM)
    assert vote["doc_id"]["label"] == vote["file_name"] and vote["organ"] == "Perusturvalautakunta"
    assert vote["meeting_key"]["label"] == "Perusturvalautakunta 12.9.2017 (§ 1–10)" and vote["page"] >= 1


def test_facets_from_metadata(datasette):
    got = datasette("/minutes/decisions.json?_size=1")["facet_results"]
    assert {"organ", "year", "resolution"} <= set(got)
    organs = {f["value"]: f["count"] for f in got["organ"]["results"]}
    assert organs and sum(organs.values()) == len(rows(datasette, "decisions"))
    assert {"organ", "year", "doc_type"} <= set(datasette("/minutes/meetings.json?_size=1")["facet_results"])


def test_search_box_finds_an_inflected_word(datasette):
    """'kotihoidossa' is nowhere in the samples; the item says 'kotihoidon'. Both are kotihoito."""
    inflected = [r["title"] for r in rows(datasette, "agenda_items", _search="kotihoidossa")]
    assert inflected.count(ITEM) == 1
    assert inflected == [r["title"] for r in rows(datasette, "agenda_items", _search="kotihoito")]
    assert rows(datasette, "agenda_items", _search="kotihoidossa lentokenttä") == []   # every word must match
    assert any(r["item_title"] == ITEM for r in rows(datasette, "decisions", _search="asiakasmaksuista"))
    by_lemmas = rows(datasette, "agenda_items", _search_lemmas="kotihoito")
    assert ITEM in [r["title"] for r in by_lemmas]
    sql = urllib.parse.quote("select fi_lemmas('kotihoidossa') as l")
    assert datasette(f"/minutes.json?sql={sql}&_shape=array") == [{"l": "kotihoito koti hoito"}]


def test_one_copy_per_meeting(datasette, store):
    items = rows(datasette, "agenda_items")
    per_meeting: dict[str, set] = {}
    for r in items:
        per_meeting.setdefault(r["meeting_key"], set()).add(r["doc_id"])
    assert all(len(docs) == 1 for docs in per_meeting.values())
    primary = {r[0] for r in query(store, "SELECT doc_id FROM meetings WHERE primary_copy")[1]}
    assert {d for docs in per_meeting.values() for d in docs} <= primary
    assert [r["title"] for r in rows(datasette, "agenda_items", _search="kotihoito")].count(ITEM) == 1
    meetings = rows(datasette, "meetings")
    assert len(meetings) == 4 and all(m["copies"] == 2 for m in meetings)
    assert len(rows(datasette, "documents")) == 8                 # the catalogue lists every file


# -- the file itself -----------------------------------------------------------------------
def test_export_has_keys_and_the_cli_names_metadata(exported):
    db_path, printed = exported
    assert f"-m {db_path.with_name(METADATA_FILE)}" in printed and "one copy per meeting" in printed
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = {(r[3], r[2]) for r in db.execute("PRAGMA foreign_key_list(agenda_items)")}
        assert fks == {("doc_id", "documents"), ("meeting_key", "meetings")}
        pk = [r[1] for r in db.execute("PRAGMA table_info(agenda_items)") if r[5]]
        assert pk == ["id"]
        # without the plugin (plain SQLite, or Datasette elsewhere) base forms still find every inflection
        hit = "SELECT count(*) FROM agenda_items_fts WHERE agenda_items_fts MATCH ?"
        assert db.execute(hit, ['"kotihoito"']).fetchone()[0] == 3
        assert db.execute(hit, ['"kotihoidossa"']).fetchone()[0] == 0
        assert db.execute(hit, [fts_query("kotihoidossa")]).fetchone()[0] == 3
    meta = json.loads(db_path.with_name(METADATA_FILE).read_text(encoding="utf-8"))
    tables = meta["databases"]["minutes"]["tables"]
    assert tables["meetings"]["label_column"] == "label" and tables["documents"]["label_column"] == "file_name"
    assert tables["agenda_items"]["fts_table"] == "agenda_items_fts"
    assert tables["decisions"]["facets"][:3] == ["organ", "year", "resolution"]
    assert tables["attendance"]["columns"]["person"].startswith("normalised")     # from models/rows.py


def test_all_copies_keeps_both_files(store, tmp_path):
    one = export_sqlite(store, tmp_path / "one.sqlite")
    both = export_sqlite(store, tmp_path / "both.sqlite", all_copies=True)
    assert both["agenda_items"] == 2 * one["agenda_items"] == query(store, "SELECT count(*) FROM agenda_items")[1][0][0]
    assert both["meetings"] == one["meetings"] == 4 and both["documents"] == one["documents"] == 8
    meta = json.loads((tmp_path / METADATA_FILE).read_text(encoding="utf-8"))
    assert set(meta["databases"]) == {"one", "both"}                   # one metadata.json serves both files
    assert dispatch(build_parser().parse_args(["export", "--format", "csv", "--out", str(tmp_path / "c"),
                                               "--store", str(store), "--all-copies"])) == 2


# -- the query rewrite ---------------------------------------------------------------------
@pytest.mark.parametrize("typed, fts", [
    ("kotihoidossa", '("kotihoidossa" OR "kotihoito")'),
    ('"kotihoidon asiakasmaksut"', '"kotihoidon asiakasmaksut"'),
    ("päiväko*", '"päiväko" *'),
    ('kotihoito "avoin', '"kotihoito" AND "avoin"'),
    ("kotihoidossa lentokenttä", '("kotihoidossa" OR "kotihoito") AND "lentokenttä"'),
    ("2018", '"2018"'),
])
def test_fts_query_adds_base_forms(typed, fts):
    assert fts_query(typed) == fts
