"""The researchers' interface on a real store built by the real flow from samples/: views with the
documented columns and counts that agree with the tables, one identity per person, search that
finds Finnish inflected forms, SQLite/FTS5 and Popolo exports, and the commands behind them."""
import argparse
import csv
import io
import json
import re
import shlex
import shutil
import sqlite3

import duckdb
import pytest

from cli import research as cli_research
from cli.main import build_parser, dispatch
from research.people import person_id
from research.search import refresh_search_index, search, search_with
from research.sqlite import export_sqlite
from research.views import VIEWS, connect, create_views, query
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "research.md"
STORE_FILE = "minutes.duckdb"


@pytest.fixture(scope="module")
def store(samples_store):
    return samples_store


@pytest.fixture
def store_copy(store, tmp_path):
    """A private copy of the store file, for tests that change rows."""
    copy = tmp_path / "store"
    copy.mkdir()
    shutil.copy(store / STORE_FILE, copy / STORE_FILE)
    return copy


def one(store, sql):
    return query(store, sql)[1][0][0]


def documented_columns() -> dict[str, list[str]]:
    """The column tables under each '### view' heading of docs/research.md."""
    out: dict[str, list[str]] = {}
    current = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^### (\w+)\s*$", line)
        if m:
            current = m.group(1)
            out[current] = []
            continue
        if current and line.startswith("| ") and not line.startswith("| column") and not line.startswith("|---"):
            out[current].append(line.split("|")[1].strip())
    return out


def parser() -> argparse.ArgumentParser:
    return build_parser()


def cli(*argv: str) -> int:
    return dispatch(parser().parse_args(list(argv)))


# -- views ---------------------------------------------------------------------------------
def test_views_exist_with_the_documented_columns(store):
    documented = documented_columns()
    for view in VIEWS:
        columns, _ = query(store, f"SELECT * FROM {view} LIMIT 0")
        assert columns == documented[view], view


def test_meetings_count_what_the_tables_hold(store):
    assert one(store, "SELECT count(*) FROM meetings") == one(store, "SELECT count(*) FROM documents WHERE status = 'ok'") == 8
    assert one(store, "SELECT count(*) FROM meetings WHERE primary_copy") == 4     # PDF and DOCX of 4 meetings
    assert one(store, "SELECT count(DISTINCT meeting_key) FROM meetings") == 4
    assert one(store, "SELECT sum(items) FROM meetings") == one(store, "SELECT count(*) FROM agenda_items")
    assert one(store, "SELECT sum(decisions) FROM meetings") == one(
        store, "SELECT count(*) FROM decisions WHERE stage = 'decision'")
    assert one(store, "SELECT sum(attendees_present + attendees_absent) FROM meetings") == one(
        store, "SELECT count(*) FROM attendance")
    _, rows = query(store, """SELECT organ, meeting_date, year, doc_type, items, decisions FROM meetings
                              WHERE primary_copy AND organ = 'Perusturvalautakunta'""")
    assert rows == [("Perusturvalautakunta", "2017-09-12", 2017, "poytakirja", 10, 10)]
    # the minutes speak for a meeting, not the agenda
    assert one(store, "SELECT count(*) FROM meetings WHERE primary_copy AND doc_type = 'esityslista'") == 1


def test_decisions_full_joins_item_and_meeting(store):
    assert one(store, "SELECT count(*) FROM decisions_full") == one(store, "SELECT count(*) FROM decisions")
    assert one(store, "SELECT count(*) FROM decisions_full WHERE item_title IS NULL OR organ = ''") == 0
    _, rows = query(store, """SELECT item_title, resolution, vote_yes, vote_no, page FROM decisions_full
                              WHERE organ = 'Perusturvalautakunta' AND primary_copy AND stage = 'decision'
                                AND item_no = '6'""")
    assert rows == [("Kotihoidon asiakasmaksujen tarkistaminen 1.1.2018 alkaen", "approved_after_vote", 7, 4, 3)]


def test_attendance_counts_meetings_not_copies(store):
    assert one(store, "SELECT count(*) FROM attendance_full") == one(store, "SELECT count(*) FROM attendance")
    assert one(store, "SELECT count(*) FROM people") == one(store, "SELECT count(DISTINCT person_id) FROM attendance_full")
    _, rows = query(store, """SELECT name, meetings, attended, absent, chaired, attendance_rate FROM attendance_summary
                              WHERE person_id = 'sirpa-kaarlela'""")
    assert rows == [("Sirpa Kaarlela", 1, 1, 0, 1, 1.0)]      # listed in the PDF and the DOCX: one meeting
    _, rows = query(store, "SELECT documents, meetings, written_forms FROM people WHERE person_id = 'sirpa-kaarlela'")
    assert rows == [(2, 1, "Kaarlela Sirpa")]
    assert one(store, "SELECT count(*) FROM attendance_summary WHERE attended + absent > meetings") == 0
    assert one(store, "SELECT sum(absent) FROM attendance_summary") > 0
    assert one(store, "SELECT count(*) FROM attendance_by_organ") >= one(store, "SELECT count(*) FROM attendance_summary")


def test_person_identity_merges_inflected_and_variant_forms_only():
    assert person_id("Tapio Ojalan") == person_id("Tapio Ojala") == "tapio-ojala"
    assert person_id("Kim Ostman") == person_id("Kim Östman") == person_id("KIM ÖSTMAN")
    assert person_id("Merja Haapakorva-Kallion") == person_id("Merja Haapakorva-Kallio")
    assert person_id("Outi Kemppainen") != person_id("Olli Kemppainen")       # same surname, two people
    assert person_id("Tapani Rekilä") == "tapani-rekila"                       # not 'tapa' + possessive


def test_people_view_merges_variants_written_in_the_store(store_copy):
    with duckdb.connect(str(store_copy / STORE_FILE)) as con:
        doc = con.execute("SELECT doc_id FROM attendance WHERE person = 'Tapio Ojala' LIMIT 1").fetchone()[0]
        con.execute("""INSERT INTO attendance (doc_id, person, person_written, status, meeting_role, page, row_id)
                       VALUES (?, 'Tapio Ojalan', 'Ojalan Tapio', 'present', '', 1, 'x1'),
                              (?, 'Timo Ojala', 'Ojala Timo', 'present', '', 1, 'x2')""", [doc, doc])
        create_views(con)
    _, rows = query(store_copy, "SELECT name, variants, written_forms FROM people WHERE person_id = 'tapio-ojala'")
    assert rows == [("Tapio Ojala", "Tapio Ojala; Tapio Ojalan", "Ojala Tapio; Ojalan Tapio")]
    assert one(store_copy, "SELECT count(*) FROM people WHERE name LIKE '% Ojala'") == 2   # Timo stays Timo


def test_query_is_read_only(store):
    before = one(store, "SELECT count(*) FROM documents")
    with pytest.raises(duckdb.Error):
        query(store, "DELETE FROM documents")
    assert one(store, "SELECT count(*) FROM documents") == before


# -- search --------------------------------------------------------------------------------
def test_search_finds_inflected_forms(store):
    # 'kotihoito' is never written in its base form in the samples, only as 'kotihoidon'
    assert one(store, "SELECT count(*) FROM agenda_items WHERE lower(title || body) LIKE '%kotihoito%'") == 0
    hits = search(store, "kotihoito")
    titles = {h.title for h in hits}
    assert "Kotihoidon asiakasmaksujen tarkistaminen 1.1.2018 alkaen" in titles
    assert all(any(w.lower().startswith("kotihoid") for w in h.matched) for h in hits)
    top = next(h for h in hits if h.title.startswith("Kotihoidon asiakasmaksujen"))
    assert top.organ == "Perusturvalautakunta" and top.meeting_date == "2017-09-12" and top.item_no == "6"
    assert top.file_name.startswith("poytakirja_perusturvalautakunta_2017-09-12.") and top.page >= 1
    assert "otihoidon" in top.snippet
    # a form that occurs nowhere finds the forms that do: talousarvion, talousarviosta
    budget = search(store, "talousarviossa")
    assert {"Talousarvion toteutuminen ajalla 1.1.–31.7.2017", "Talousarvion toteutuminen 1.1.–31.3.2019"} <= {
        h.title for h in budget}
    report = search(store, "hyvinvointikertomus")
    assert {w.lower() for h in report for w in h.matched} >= {"hyvinvointikertomusten", "hyvinvointikertomuksesta"}


def test_search_ranks_titles_first_and_ignores_unrelated_words(store):
    assert search(store, "lentokenttä") == []
    assert search(store, "kotihoito")[0].title.startswith("Kotihoidon")
    prefix = search(store, "hyvinvointikertomu*")
    assert prefix and all(any(w.lower().startswith("hyvinvointikertomu") for w in h.matched) for h in prefix)
    with pytest.raises(ValueError):
        search(store, "2017")


def test_search_shows_each_meeting_item_once(store):
    hits = search(store, "kotihoito", limit=50)
    keys = [(h.organ, h.meeting_date, h.item_no) for h in hits]
    assert len(keys) == len(set(keys))
    fee = next(h for h in hits if h.item_no == "6" and h.organ == "Perusturvalautakunta")
    assert len(fee.other_files) == 1 and fee.other_files[0] != fee.file_name
    # the citation is the PDF's printed page, whichever copy ranked first: a DOCX has no pages
    assert fee.file_name.endswith(".pdf") and fee.other_files[0].endswith(".docx")
    assert all(h.file_name.endswith(".pdf") for h in hits if h.other_files)


def test_search_index_is_incremental(store_copy):
    with duckdb.connect(str(store_copy / STORE_FILE)) as con:
        refresh_search_index(con)
        assert refresh_search_index(con) == 0                         # fresh: nothing to do
        assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 8
        doc = con.execute("SELECT min(doc_id) FROM documents").fetchone()[0]
        con.execute("UPDATE documents SET processed_at = 'later' WHERE doc_id = ?", [doc])
        assert refresh_search_index(con) == 1                         # reprocessed: indexed again
        con.execute("DELETE FROM documents WHERE doc_id = ?", [doc])
        assert refresh_search_index(con) == 0
        assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 7
        assert con.execute("SELECT count(*) FROM search_terms WHERE doc_id = ?", [doc]).fetchone()[0] == 0


def test_search_on_a_read_only_store_indexes_in_memory(store, store_copy):
    with duckdb.connect(str(store_copy / STORE_FILE)) as con:        # as if never searched before
        for table in ("search_docs", "search_units", "search_terms"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    with connect(store_copy) as con:                                  # read-only connection
        assert refresh_search_index(con, temporary=True) == 8
        hits = search_with(con, "kotihoito")
    assert [h.title for h in hits] == [h.title for h in search(store, "kotihoito")]
    with duckdb.connect(str(store_copy / STORE_FILE), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "search_terms" not in tables                               # nothing was written


# -- exports -------------------------------------------------------------------------------
def test_sqlite_export_has_every_table_and_fts5(store, tmp_path):
    """Extracted rows of one copy per meeting (tests/test_datasette.py checks it through Datasette)."""
    out = tmp_path / "minutes.sqlite"
    counts = export_sqlite(store, out)
    db = sqlite3.connect(out)
    try:
        for table in ("documents", "agenda_items", "decisions", "attendance", *VIEWS):
            assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == counts[table], table
        for table in ("agenda_items", "decisions", "attendance"):
            assert counts[table] == one(store, f'SELECT count(*) FROM "{table}" JOIN meetings USING (doc_id) '
                                               "WHERE primary_copy"), table
        assert counts["documents"] == one(store, "SELECT count(*) FROM documents")
        assert counts["meetings"] == one(store, "SELECT count(DISTINCT meeting_key) FROM meetings")
        by_lemma = db.execute("""SELECT a.title FROM agenda_items_fts JOIN agenda_items a ON a.id = agenda_items_fts.rowid
                                 WHERE agenda_items_fts MATCH 'kotihoito'""").fetchall()
        assert ("Kotihoidon asiakasmaksujen tarkistaminen 1.1.2018 alkaen",) in by_lemma
        as_written = db.execute("SELECT count(*) FROM agenda_items_fts WHERE agenda_items_fts MATCH 'kotihoidon'").fetchone()[0]
        assert as_written >= 2
        assert db.execute("SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH 'talousarvio'").fetchone()[0] > 0
        assert db.execute("SELECT count(*) FROM decisions_fts WHERE decisions_fts MATCH 'lentokenttä'").fetchone()[0] == 0
        fts = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%USING FTS5%'")}
        assert fts == {"agenda_items_fts", "decisions_fts"}
    finally:
        db.close()


# -- command line --------------------------------------------------------------------------
def test_every_command_has_help_with_examples():
    sub = parser()._subparsers._group_actions[0].choices
    for name in cli_research.COMMANDS:
        text = sub[name].format_help()
        assert "examples:" in text and f"minutes {name}" in text and "--store" in text, name
    assert "--format" in sub["query"].format_help() and "--limit" in sub["search"].format_help()


def test_every_command_has_one_handler():
    sub = parser()._subparsers._group_actions[0].choices
    assert all(p.get_default("handler") is not None for p in sub.values())


def test_query_command_formats(store, capsys):
    sql = "SELECT organ, meeting_date FROM meetings WHERE primary_copy ORDER BY meeting_date"
    assert cli("query", sql, "--store", str(store)) == 0           # piped (not a TTY): CSV
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["organ", "meeting_date"] and len(rows) == 5
    assert cli("query", sql, "--store", str(store), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0] == {"organ": "Perusturvalautakunta", "meeting_date": "2017-09-12"}
    assert cli("query", sql, "--store", str(store), "--format", "table") == 0
    text = capsys.readouterr().out
    assert "Perusturvalautakunta" in text and "4 rows" in text


def test_command_errors_are_one_line_and_exit_2(store, tmp_path, capsys):
    assert cli("query", "SELEC nothing", "--store", str(store)) == 2
    err = capsys.readouterr().err
    assert err.startswith("minutes query: ") and err.count("\n") == 1 and "syntax error" in err
    assert cli("query", "SELECT * FROM no_such_table", "--store", str(store)) == 2
    assert "no_such_table" in capsys.readouterr().err
    assert cli("search", "kotihoito", "--store", str(tmp_path / "nowhere")) == 2
    err = capsys.readouterr().err
    assert "no store at" in err and "minutes run" in err and err.count("\n") == 1
    assert cli("export", "--format", "sqlite", "--out", str(tmp_path / "x.sqlite"), "--store", str(tmp_path)) == 2


def test_search_and_export_commands(store, tmp_path, capsys):
    assert cli("search", "kotihoito", "--store", str(store), "--limit", "3") == 0
    text = capsys.readouterr().out
    assert "Perusturvalautakunta 2017-09-12" in text and "§ 6 Kotihoidon asiakasmaksujen" in text and " p. " in text
    assert cli("search", "kotihoito", "--store", str(store), "--format", "json") == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and {"organ", "meeting_date", "item_no", "title", "file_name", "page", "snippet"} <= set(hits[0])
    assert cli("export", "--format", "sqlite", "--out", str(tmp_path / "m.sqlite"), "--store", str(store)) == 0
    assert "datasette" in capsys.readouterr().out and (tmp_path / "m.sqlite").exists()
    assert cli("export", "--format", "popolo", "--out", str(tmp_path / "p.json"), "--store", str(store)) == 0
    assert "4 events" in capsys.readouterr().out   # one per meeting (tests/test_popolo.py)


def test_documented_commands_run(store, tmp_path, capsys):
    """Every `minutes query|search|export|report` line in docs/research.md works as written."""
    lines = [ln.strip() for ln in DOCS.read_text(encoding="utf-8").splitlines()
             if re.match(r"^minutes (query|search|export|report)\b", ln.strip())]
    assert len(lines) >= 12
    for line in lines:
        argv = shlex.split(line.split("  #")[0])[1:]
        if "--out" in argv:
            argv[argv.index("--out") + 1] = str(tmp_path / argv[argv.index("--out") + 1])
        code = cli(*argv, "--store", str(store))
        assert code == 0, (line, capsys.readouterr().err)
    capsys.readouterr()
