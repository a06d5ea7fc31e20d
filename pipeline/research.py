"""The researchers' interface over the store: views that answer the usual questions, one identity
per person across documents, full-text search that finds Finnish inflected forms, and exports for
Datasette (SQLite + FTS5) and for Popolo / 6Aika open-decision consumers.

Reading never needs write access: read paths open the store read-only and, when the views are not
in the file yet (a store made before they existed), create them as TEMP views for that connection.
Only the search index is written into the store, lazily, for documents not indexed yet."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import duckdb
import pyarrow as pa

from extractors.finnish import WORD_RE, analyze, words
from pipeline import PIPELINE_VERSION

# -- tuning values -------------------------------------------------------------------------
DEFAULT_LIMIT = 20
BM25_K1 = 1.2                    # term-frequency saturation
BM25_B = 0.75                    # length normalisation
FIELD_WEIGHTS = {"title": 3.0, "body": 1.0, "decision": 1.0}   # a word in an item title counts thrice
COMPOUND_PART_WEIGHT = 0.4       # 'koti' inside 'päiväkodin' counts less than 'koti' itself
SNIPPET_CHARS = 180
INDEX_VERSION = 1                # bump when tokenising changes: every document is indexed again
INDEX_BATCH_DOCS = 200           # documents indexed per transaction
OVERFETCH = 4                    # ranked hits fetched per requested hit before copies are collapsed
SQLITE_BATCH_ROWS = 5000
NAME_CLASSES = ("etunimi", "sukunimi", "nimi", "paikannimi")
DOC_TYPE_ORDER = ("poytakirja", "muistio", "other", "esityslista")   # which copy speaks for a meeting

VIEWS_VERSION = 1                # bump when a view changes: older stores get TEMP views until their next run
VIEWS_META_KEY = "research_views_version"
VIEWS = ("meetings", "decisions_full", "attendance_full", "people", "attendance_summary",
         "attendance_by_organ")
PEOPLE_TABLE = "person_keys"
SEARCH_TABLES = ("search_docs", "search_units", "search_terms")
PROVENANCE_TABLES = ("sources", "document_versions")      # exported to SQLite beside the data tables
# Datasette full-text search: table -> columns indexed by FTS5 (plus the lemmas column added on export)
SQLITE_FTS = {"agenda_items": ("title", "body"), "decisions": ("text",),
              "decisions_full": ("item_title", "text")}
SQLITE_LEMMA_SOURCE = {"agenda_items": ("title", "body"), "decisions": ("text",),
                       "decisions_full": ("item_title", "text")}

# -- SQL -----------------------------------------------------------------------------------
# Documents of one meeting (agenda and minutes, PDF and DOCX copies) share a meeting_key.
MEETING_KEY_SQL = ("CASE WHEN d.organ <> '' AND d.meeting_date IS NOT NULL "
                   "THEN lower(d.organ) || ' ' || d.meeting_date ELSE d.doc_id END")
# The same normalisation as `slug()`, for names written after people were last refreshed.
SLUG_SQL = "trim(regexp_replace(lower(strip_accents({x})), '[^a-z0-9]+', '-', 'g'), '-')"

_DOC_TYPE_RANK = " ".join(f"WHEN '{t}' THEN {n}" for n, t in enumerate(DOC_TYPE_ORDER))

_VIEW_SQL = {
    "meetings": f"""
        WITH base AS (
            SELECT d.doc_id, {MEETING_KEY_SQL} AS meeting_key, d.organ, d.meeting_date,
                   TRY_CAST(substr(d.meeting_date, 1, 4) AS INTEGER) AS year,
                   substr(d.meeting_date, 1, 7) AS month,
                   d.meeting_number, d.doc_type, d.place, d.start_time, d.end_time,
                   d.file_name, d.source, d.format, d.pages,
                   coalesce(i.n, 0) AS items, coalesce(x.n, 0) AS decisions,
                   coalesce(a.present, 0) AS attendees_present, coalesce(a.absent, 0) AS attendees_absent
            FROM documents d
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM agenda_items GROUP BY doc_id) i ON i.doc_id = d.doc_id
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM decisions WHERE stage = 'decision'
                       GROUP BY doc_id) x ON x.doc_id = d.doc_id
            LEFT JOIN (SELECT doc_id, count(*) FILTER (WHERE status = 'present') AS present,
                              count(*) FILTER (WHERE status = 'absent') AS absent
                       FROM attendance GROUP BY doc_id) a ON a.doc_id = d.doc_id
            WHERE d.status = 'ok')
        SELECT doc_id, meeting_key,
               row_number() OVER (PARTITION BY meeting_key
                                  ORDER BY CASE doc_type {_DOC_TYPE_RANK} ELSE 9 END, decisions DESC,
                                           items DESC, attendees_present DESC,
                                           CASE format WHEN 'pdf' THEN 0 ELSE 1 END, doc_id) = 1 AS primary_copy,
               organ, meeting_date, year, month, meeting_number, doc_type, place, start_time, end_time,
               file_name, source, pages, items, decisions, attendees_present, attendees_absent
        FROM base""",
    "decisions_full": """
        SELECT x.doc_id, x.item_no, i.seq AS item_seq, i.title AS item_title, m.organ, m.meeting_date,
               m.year, m.meeting_number, m.doc_type, m.meeting_key, m.primary_copy, m.file_name, m.source,
               x.page, x.stage, x.resolution, x.text, x.resolved_text,
               x.vote_yes, x.vote_no, x.vote_blank, x.vote_absent, x.row_id
        FROM decisions x
        JOIN meetings m ON m.doc_id = x.doc_id
        LEFT JOIN agenda_items i ON i.doc_id = x.doc_id AND i.item_no = x.item_no""",
    "attendance_full": f"""
        SELECT a.doc_id, coalesce(k.person_id, {SLUG_SQL.format(x='a.person')}) AS person_id,
               coalesce(k.person_name, a.person) AS person_name, a.person, a.person_written, a.role,
               a.organisation, a.status, a.meeting_role, a.substitute_for, a.remote,
               m.organ, m.meeting_date, m.meeting_key, m.primary_copy, m.doc_type, m.file_name, a.page, a.row_id
        FROM attendance a
        JOIN meetings m ON m.doc_id = a.doc_id
        LEFT JOIN {PEOPLE_TABLE} k ON k.person = a.person
        WHERE a.person <> ''""",
    "people": """
        SELECT person_id, mode(person_name) AS name,
               string_agg(DISTINCT person, '; ' ORDER BY person) AS variants,
               string_agg(DISTINCT nullif(person_written, ''), '; ' ORDER BY nullif(person_written, ''))
                   AS written_forms,
               string_agg(DISTINCT nullif(role, ''), '; ' ORDER BY nullif(role, '')) AS roles,
               string_agg(DISTINCT nullif(organ, ''), '; ' ORDER BY nullif(organ, '')) AS organs,
               count(DISTINCT doc_id) AS documents, count(DISTINCT meeting_key) AS meetings,
               min(meeting_date) AS first_meeting, max(meeting_date) AS last_meeting
        FROM attendance_full
        GROUP BY person_id""",
    "attendance_summary": """
        WITH per_meeting AS (
            SELECT person_id, meeting_key, any_value(organ) AS organ, min(meeting_date) AS meeting_date,
                   bool_or(status = 'present') AS present,
                   bool_or(status = 'absent') AND NOT bool_or(status = 'present') AS absent,
                   bool_or(status = 'present' AND meeting_role = 'chair') AS chaired
            FROM attendance_full GROUP BY person_id, meeting_key)
        SELECT pm.person_id, p.name, count(*) AS meetings,
               count(*) FILTER (WHERE present) AS attended,
               count(*) FILTER (WHERE absent) AS absent,
               count(*) FILTER (WHERE chaired) AS chaired,
               round(count(*) FILTER (WHERE present)
                     / nullif(count(*) FILTER (WHERE present OR absent), 0), 3) AS attendance_rate,
               string_agg(DISTINCT nullif(pm.organ, ''), '; ' ORDER BY nullif(pm.organ, '')) AS organs,
               min(pm.meeting_date) AS first_meeting, max(pm.meeting_date) AS last_meeting
        FROM per_meeting pm JOIN people p ON p.person_id = pm.person_id
        GROUP BY pm.person_id, p.name""",
    "attendance_by_organ": """
        WITH per_meeting AS (
            SELECT person_id, organ, meeting_key,
                   bool_or(status = 'present') AS present,
                   bool_or(status = 'absent') AND NOT bool_or(status = 'present') AS absent,
                   bool_or(status = 'present' AND meeting_role = 'chair') AS chaired
            FROM attendance_full GROUP BY person_id, organ, meeting_key)
        SELECT pm.person_id, p.name, pm.organ, count(*) AS meetings,
               count(*) FILTER (WHERE present) AS attended,
               count(*) FILTER (WHERE absent) AS absent,
               count(*) FILTER (WHERE chaired) AS chaired,
               round(count(*) FILTER (WHERE present)
                     / nullif(count(*) FILTER (WHERE present OR absent), 0), 3) AS attendance_rate
        FROM per_meeting pm JOIN people p ON p.person_id = pm.person_id
        GROUP BY pm.person_id, p.name, pm.organ""",
}


# -- opening the store ---------------------------------------------------------------------
def store_path(store_dir: str | Path) -> Path:
    """DIR/minutes.duckdb, or a clear FileNotFoundError saying how to make one."""
    from pipeline.store import STORE_FILE   # not at import time: the store may import this module
    path = Path(store_dir) / STORE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no store at {path}: run `minutes run FILES --out {store_dir}` first")
    return path


def connect(store_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with the research views available (persistent or TEMP)."""
    con = duckdb.connect(str(store_path(store_dir)), read_only=True)
    try:
        if not has_views(con):
            create_views(con, temporary=True)
    except BaseException:
        con.close()
        raise
    return con


def has_views(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the file holds this version of the views (else TEMP ones shadow old ones)."""
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not set(VIEWS) | {PEOPLE_TABLE, "store_meta"} <= found:
        return False
    got = con.execute("SELECT value FROM store_meta WHERE key = ?", [VIEWS_META_KEY]).fetchall()
    return got == [(str(VIEWS_VERSION),)]


# -- views and people ------------------------------------------------------------------------
def create_views(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> None:
    """Create (or replace) the research views and refresh the person identities they join.
    Cheap and idempotent: call it after every batch. `temporary` builds them for one read-only
    connection only."""
    temp = "TEMP " if temporary else ""
    con.execute(f"CREATE {'OR REPLACE TEMP ' if temporary else ''}TABLE "
                f"{'' if temporary else 'IF NOT EXISTS '}{PEOPLE_TABLE} "
                "(person VARCHAR, person_id VARCHAR, person_name VARCHAR)")
    refresh_people(con)
    for name in VIEWS:
        con.execute(f"CREATE OR REPLACE {temp}VIEW {name} AS {_VIEW_SQL[name]}")
    if not temporary:
        con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("DELETE FROM store_meta WHERE key = ?", [VIEWS_META_KEY])
        con.execute("INSERT INTO store_meta VALUES (?, ?)", [VIEWS_META_KEY, str(VIEWS_VERSION)])


def refresh_people(con: duckdb.DuckDBPyConnection) -> int:
    """Rewrite person_keys (written name -> person_id, display name) when the names changed."""
    counts = con.execute("SELECT person, count(*) FROM attendance WHERE person <> '' GROUP BY person").fetchall()
    rows = people_table(counts)
    have = set(con.execute(f"SELECT person, person_id, person_name FROM {PEOPLE_TABLE}").fetchall())
    if have == set(rows):
        return len(rows)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {PEOPLE_TABLE}")
        if rows:
            con.executemany(f"INSERT INTO {PEOPLE_TABLE} VALUES (?, ?, ?)", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def slug(text: str) -> str:
    """Case- and diacritic-insensitive key: 'Kim Östman' -> 'kim-ostman' (same as SLUG_SQL)."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def base_name_word(word: str) -> str:
    """A name word in its base form ('Ojalan' -> 'Ojala'). A word that is a base form in any of
    Voikko's readings stays as written, so 'Tapani' never becomes 'tapa'."""
    if "-" in word.strip("-"):
        head, _, tail = word.rpartition("-")
        return f"{head}-{base_name_word(tail)}"
    analyses = [dict(a) for a in analyze(word)]
    if not analyses or any(a.get("BASEFORM", "").lower() == word.lower() for a in analyses):
        return word
    named = [a for a in analyses if a.get("CLASS") in NAME_CLASSES]
    base = (named or analyses)[0].get("BASEFORM") or word
    return base[:1].upper() + base[1:] if word[:1].isupper() else base


def base_name(person: str) -> str:
    """'Tapio Ojalan' -> 'Tapio Ojala': first and last word lemmatised, middle names kept."""
    parts = person.split()
    if not parts:
        return person
    if len(parts) == 1:
        return base_name_word(parts[0])
    return " ".join([base_name_word(parts[0]), *parts[1:-1], base_name_word(parts[-1])])


def person_id(person: str) -> str:
    """One id per person: same first and last name after lemmatisation, case and diacritics ignored.
    Conservative: two people who share only a surname keep two ids."""
    return slug(base_name(person))


def people_table(counts: Iterable[tuple[str, int]]) -> list[tuple[str, str, str]]:
    """(person as written in attendance, person_id, display name) for every name. The display name
    is the most frequent variant already in base form; diacritics win ties ('Östman' over 'Ostman')."""
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for person, n in counts:
        groups[person_id(person)].append((person, n))
    out = []
    for pid, members in groups.items():
        name = max(members, key=lambda m: (base_name(m[0]) == m[0], m[1], m[0] != slug(m[0]), m[0]))[0]
        out.extend((person, pid, name) for person, _ in members)
    return sorted(out)


# -- query ---------------------------------------------------------------------------------
def query(store_dir: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement read-only; the views are available. Returns (columns, rows)."""
    with closing(connect(store_dir)) as con:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()


# -- Finnish tokens ------------------------------------------------------------------------
def _compound_parts(wordbases: str) -> list[str]:
    """'+päivä(päivä)+koti(koti)' -> ['päivä', 'koti']; derivations ('+hoi(hoitaa)+to(+to)') and
    suffixes are not parts. Fewer than two parts means the word is no compound."""
    segments = re.findall(r"\+([^+(]*)((?:\([^()]*\))*)", wordbases)
    parts = []
    for n, (_, parens) in enumerate(segments):
        groups = re.findall(r"\(([^()]*)\)", parens)
        if not groups or groups[0].startswith("+") or any(g.startswith("+") for g in groups[1:]):
            continue
        following = segments[n + 1][1] if n + 1 < len(segments) else ""
        if following.startswith("(+"):
            continue
        parts.append(groups[0].replace("=", "").lower())
    return parts if len(parts) >= 2 else []


@lru_cache(maxsize=200_000)
def token_terms(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lemmas, compound parts) of one written word, lower-case. Every Voikko reading counts
    ('päiväkodin' -> päiväkoti, päiväkota); unknown words index as written."""
    word = token.strip("-'’")
    if not word:
        return (), ()
    analyses = [dict(a) for a in analyze(word)]
    lemmas = list(dict.fromkeys(a["BASEFORM"].lower() for a in analyses if a.get("BASEFORM")))
    parts = [p for a in analyses for p in _compound_parts(a.get("WORDBASES", ""))]
    if "-" in word:
        pieces = [p for p in word.split("-") if p]
        piece_lemmas = [token_terms(p)[0] for p in pieces]
        parts += [lem for pl in piece_lemmas for lem in pl]
        if not lemmas and piece_lemmas and piece_lemmas[-1]:
            lemmas = ["-".join([p.lower() for p in pieces[:-1]] + [piece_lemmas[-1][0]])]
    if not lemmas:
        lemmas = [word.lower()]
    parts = [p for p in dict.fromkeys(parts) if p not in lemmas and len(p) > 1]
    return tuple(lemmas), tuple(parts)


def text_terms(text: str) -> tuple[Counter, int]:
    """Weighted term counts of a text (lemmas 1, compound parts COMPOUND_PART_WEIGHT) and its length
    in words."""
    tf: Counter = Counter()
    n = 0
    for tok in words(text or ""):
        lemmas, parts = token_terms(tok)
        if not lemmas:
            continue
        n += 1
        for t in lemmas:
            tf[t] += 1.0
        for t in parts:
            tf[t] += COMPOUND_PART_WEIGHT
    return tf, n


def lemma_text(text: str) -> str:
    """Every lemma and compound part of a text, space-separated: the column SQLite FTS5 matches
    base forms against."""
    return " ".join(dict.fromkeys(t for tok in words(text or "") for grp in token_terms(tok) for t in grp))


@dataclass(frozen=True)
class QueryWord:
    text: str                    # as typed
    terms: tuple[str, ...]       # lemmas to look up (or one prefix)
    prefix: bool = False         # 'päiväko*'


def parse_query(text: str) -> list[QueryWord]:
    """Each word of the query in its base forms; 'word*' matches indexed terms by prefix."""
    out = []
    for piece in text.split():
        toks = words(piece)
        for n, tok in enumerate(toks):
            if piece.endswith("*") and n == len(toks) - 1:
                out.append(QueryWord(tok, (tok.lower().strip("-"),), True))
                continue
            lemmas, _ = token_terms(tok)
            if lemmas == (tok.lower().strip("-'’"),) and tok.islower():   # unknown: maybe a name
                lemmas = tuple(dict.fromkeys(lemmas + token_terms(tok.capitalize())[0]))
            if lemmas:
                out.append(QueryWord(tok, lemmas))
    return out


# -- search index --------------------------------------------------------------------------
_SIGNATURES_SQL = """
    SELECT d.doc_id, d.processed_at || '|' || coalesce(CAST(h.h AS VARCHAR), '0') AS signature
    FROM documents d
    LEFT JOIN (SELECT doc_id, bit_xor(hash(row_id)) AS h
               FROM (SELECT doc_id, row_id FROM agenda_items UNION ALL SELECT doc_id, row_id FROM decisions)
               GROUP BY doc_id) h ON h.doc_id = d.doc_id
    WHERE d.status = 'ok'"""


def _create_search_tables(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> None:
    kind = "TEMP TABLE" if temporary else "TABLE"
    con.execute(f"CREATE {kind} IF NOT EXISTS search_docs (doc_id VARCHAR, signature VARCHAR, index_version INTEGER)")
    con.execute(f"CREATE {kind} IF NOT EXISTS search_units (doc_id VARCHAR, item_no VARCHAR, length DOUBLE)")
    con.execute(f"CREATE {kind} IF NOT EXISTS search_terms "
                "(doc_id VARCHAR, item_no VARCHAR, field VARCHAR, term VARCHAR, tf DOUBLE)")


def _stale_docs(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str]], list[str]]:
    """(documents to index with their signature, indexed documents no longer in the store)."""
    stale = con.execute(f"""
        WITH sig AS ({_SIGNATURES_SQL})
        SELECT sig.doc_id, sig.signature FROM sig LEFT JOIN search_docs s ON s.doc_id = sig.doc_id
        WHERE s.doc_id IS NULL OR s.signature <> sig.signature OR s.index_version <> ?
        ORDER BY sig.doc_id""", [INDEX_VERSION]).fetchall()
    gone = [r[0] for r in con.execute(
        "SELECT doc_id FROM search_docs WHERE doc_id NOT IN (SELECT doc_id FROM documents WHERE status = 'ok')"
    ).fetchall()]
    return stale, gone


def index_is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not set(SEARCH_TABLES) <= found:
        return False
    stale, gone = _stale_docs(con)
    return not stale and not gone


def index_units(items: Sequence[tuple[str, str, str, str]], decisions: Sequence[tuple[str, str, str]]
                ) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, str, str, float]]]:
    """Pure: the search rows of some documents. items are (doc_id, item_no, title, body), decisions
    (doc_id, item_no, text). One unit per agenda item; its decisions are a field of it."""
    fields: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for doc_id, item_no, title, body in items:
        fields[(doc_id, item_no)] += [("title", title or ""), ("body", body or "")]
    for doc_id, item_no, text in decisions:
        fields[(doc_id, item_no)].append(("decision", text or ""))
    units, terms = [], []
    for (doc_id, item_no), texts in fields.items():
        length = 0
        per_field: dict[str, Counter] = defaultdict(Counter)
        for name, text in texts:
            tf, n = text_terms(text)
            per_field[name].update(tf)
            length += n
        units.append((doc_id, item_no, float(length)))
        terms += [(doc_id, item_no, name, t, float(v)) for name, tf in per_field.items() for t, v in tf.items()]
    return units, terms


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, names: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    data = pa.Table.from_pylist([dict(zip(names, r)) for r in rows])
    con.register("_rows", data)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM _rows")
    finally:
        con.unregister("_rows")


def refresh_search_index(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> int:
    """Index documents that are new or changed since they were indexed and drop removed ones.
    Returns how many documents were (re)indexed; 0 when everything was fresh. `temporary` indexes
    into TEMP tables of a read-only connection (they shadow a stale index in the file)."""
    _create_search_tables(con, temporary)
    stale, gone = _stale_docs(con)
    for doc_id in gone:
        for t in SEARCH_TABLES:
            con.execute(f"DELETE FROM {t} WHERE doc_id = ?", [doc_id])
    for start in range(0, len(stale), INDEX_BATCH_DOCS):
        batch = stale[start:start + INDEX_BATCH_DOCS]
        ids = pa.table({"doc_id": [d for d, _ in batch]})
        con.register("_ids", ids)
        try:
            items = con.execute("SELECT doc_id, item_no, title, body FROM agenda_items "
                                "WHERE doc_id IN (SELECT doc_id FROM _ids)").fetchall()
            decisions = con.execute("SELECT doc_id, item_no, text FROM decisions "
                                    "WHERE doc_id IN (SELECT doc_id FROM _ids)").fetchall()
            units, terms = index_units(items, decisions)
            con.execute("BEGIN TRANSACTION")
            try:
                for t in SEARCH_TABLES:
                    con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT doc_id FROM _ids)")
                _insert_rows(con, "search_units", ("doc_id", "item_no", "length"), units)
                _insert_rows(con, "search_terms", ("doc_id", "item_no", "field", "term", "tf"), terms)
                _insert_rows(con, "search_docs", ("doc_id", "signature", "index_version"),
                             [(d, s, INDEX_VERSION) for d, s in batch])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.unregister("_ids")
    return len(stale)


# -- search --------------------------------------------------------------------------------
@dataclass
class SearchHit:
    doc_id: str
    item_no: str
    title: str
    organ: str
    meeting_date: str | None
    file_name: str
    page: int
    snippet: str
    field: str                                   # where the snippet is from: decision, body or title
    matched: list[str] = field(default_factory=list)         # query words as written in the snippet
    score: float = 0.0
    other_files: list[str] = field(default_factory=list)   # copies of the same meeting that also matched


_RANK_SQL = """
    WITH stats AS (SELECT count(*)::DOUBLE AS n, avg(length) AS avglen FROM search_units),
    matches AS (
        SELECT t.doc_id, t.item_no, t.field, t.tf, q.word FROM search_terms t JOIN _q q ON t.term = q.term
        WHERE NOT q.prefix
        UNION ALL
        SELECT t.doc_id, t.item_no, t.field, t.tf, q.word FROM search_terms t
        JOIN (SELECT * FROM _q WHERE prefix) q ON starts_with(t.term, q.term)),
    per_field AS (   -- one token indexed under two readings counts once
        SELECT doc_id, item_no, word, field, max(tf) AS tf FROM matches GROUP BY ALL),
    per_word AS (
        SELECT p.doc_id, p.item_no, p.word, sum(p.tf * w.weight) AS tf
        FROM per_field p JOIN _w w ON w.field = p.field GROUP BY ALL),
    df AS (SELECT word, count(*) AS df FROM per_word GROUP BY word)
    SELECT p.doc_id, p.item_no, count(*) AS matched,
           sum(ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5)) * p.tf * ($k1 + 1)
               / (p.tf + $k1 * (1 - $b + $b * u.length / greatest(s.avglen, 1)))) AS score
    FROM per_word p JOIN df ON df.word = p.word
    JOIN search_units u ON u.doc_id = p.doc_id AND u.item_no = p.item_no
    CROSS JOIN stats s
    GROUP BY p.doc_id, p.item_no
    ORDER BY matched DESC, score DESC, p.doc_id, p.item_no
    LIMIT $limit"""


def search(store_dir: str | Path, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Ranked agenda items whose title, body or decisions contain the query's words in any
    inflected form. The lemma index is brought up to date first (only new or changed documents)."""
    q = parse_query(text)
    if not q:
        raise ValueError(f"nothing to search for in {text!r}: give at least one word (numbers are not indexed)")
    path = store_path(store_dir)
    with duckdb.connect(str(path), read_only=True) as con:
        fresh = index_is_fresh(con)
    if fresh:
        with closing(connect(store_dir)) as con:
            return search_with(con, q, limit)
    try:
        with duckdb.connect(str(path)) as con:
            refresh_search_index(con)
    except (duckdb.IOException, PermissionError):   # a read-only copy: index in memory for this search
        with closing(connect(store_dir)) as con:
            refresh_search_index(con, temporary=True)
            return search_with(con, q, limit)
    with closing(connect(store_dir)) as con:
        return search_with(con, q, limit)


def search_with(con: duckdb.DuckDBPyConnection, q: str | list[QueryWord], limit: int = DEFAULT_LIMIT
                ) -> list[SearchHit]:
    """Search on an open connection whose index is already built (see refresh_search_index)."""
    if isinstance(q, str):
        q = parse_query(q)
    con.register("_q", pa.table({"word": [n for n, w in enumerate(q) for _ in w.terms],
                                 "term": [t for w in q for t in w.terms],
                                 "prefix": [w.prefix for w in q for _ in w.terms]}))
    con.register("_w", pa.table({"field": list(FIELD_WEIGHTS), "weight": list(FIELD_WEIGHTS.values())}))
    try:
        ranked = con.execute(_RANK_SQL, {"k1": BM25_K1, "b": BM25_B,
                                         "limit": max(1, limit) * OVERFETCH + 10}).fetchall()
    finally:
        con.unregister("_q")
        con.unregister("_w")
    if not ranked:
        return []
    con.register("_top", pa.table({"doc_id": [r[0] for r in ranked], "item_no": [r[1] for r in ranked]}))
    try:
        meta = {(r[0], r[1]): r[2:] for r in con.execute(f"""
            SELECT t.doc_id, t.item_no, d.organ, d.meeting_date, d.file_name, {MEETING_KEY_SQL},
                   coalesce(a.title, ''), coalesce(a.body, ''), coalesce(a.page, 0)
            FROM _top t JOIN documents d ON d.doc_id = t.doc_id
            LEFT JOIN agenda_items a ON a.doc_id = t.doc_id AND a.item_no = t.item_no""").fetchall()}
        decs: dict[tuple[str, str], list[tuple[str, int, str]]] = defaultdict(list)
        for doc_id, item_no, text, page, stage in con.execute("""
                SELECT x.doc_id, x.item_no, x.text, x.page, x.stage FROM decisions x
                JOIN _top t ON t.doc_id = x.doc_id AND t.item_no = x.item_no
                ORDER BY x.stage = 'decision' DESC, x.page""").fetchall():
            decs[(doc_id, item_no)].append((text, page, stage))
    finally:
        con.unregister("_top")
    hits: list[SearchHit] = []
    seen: dict[tuple[str, str], SearchHit] = {}
    for doc_id, item_no, _matched, score in ranked:
        organ, date, file_name, meeting_key, title, body, item_page = meta[(doc_id, item_no)]
        key = (meeting_key, item_no)
        if key in seen:
            seen[key].other_files.append(file_name)
            continue
        candidates = [("decision", t, p) for t, p, _ in decs[(doc_id, item_no)]]
        candidates += [("body", body, item_page), ("title", title, item_page)]
        where, snippet, page, matched = best_snippet(candidates, q)
        hit = SearchHit(doc_id=doc_id, item_no=item_no, title=title, organ=organ, meeting_date=date,
                        file_name=file_name, page=page, snippet=snippet, field=where, matched=matched,
                        score=round(float(score), 3))
        seen[key] = hit
        hits.append(hit)
    return hits[:limit]


def _token_matches(tok: str, q: Sequence[QueryWord]) -> set[int]:
    """Which query words this written token matches (by lemma, compound part or prefix)."""
    lemmas, parts = token_terms(tok)
    terms = set(lemmas) | set(parts)
    lowered = tok.lower()
    out = set()
    for n, w in enumerate(q):
        if w.prefix:
            if lowered.startswith(w.terms[0]) or any(t.startswith(w.terms[0]) for t in terms):
                out.add(n)
        elif terms & set(w.terms):
            out.add(n)
    return out


def best_snippet(candidates: Sequence[tuple[str, str, int]], q: Sequence[QueryWord]
                 ) -> tuple[str, str, int, list[str]]:
    """Pure: from (field, text, page) candidates, the one matching most query words (then most
    often); returns (field, snippet around its first match, page, matched words as written)."""
    best = None
    for order, (where, text, page) in enumerate(candidates):
        found = []
        for m in WORD_RE.finditer(text or ""):
            hit = _token_matches(m.group(), q)
            if hit:
                found.append((m, hit))
        if not found:
            continue
        rank = (len(set().union(*(h for _, h in found))), len(found), -order)
        if best is None or rank > best[0]:
            best = (rank, where, text, page, found)
    if best is None:
        where, text, page = candidates[-1] if candidates else ("title", "", 0)
        return where, _clip(text, 0), page, []
    _, where, text, page, found = best
    matched = list(dict.fromkeys(m.group() for m, _ in found))
    return where, _clip(text, found[0][0].start()), page, matched


def _clip(text: str, at: int) -> str:
    """About SNIPPET_CHARS of text around position `at`, cut at word boundaries, one line."""
    start = max(0, at - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    if start > 0:
        before = [m.end() for m in re.finditer(r"\s", text[:start])]
        start = before[-1] if before else 0
    if end < len(text):
        after = re.search(r"\s", text[end:])
        end = end + after.start() if after else len(text)
    out = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


# -- SQLite for Datasette ------------------------------------------------------------------
def _sqlite_type(duck_type: str) -> str:
    t = duck_type.upper()
    if t in ("BOOLEAN",) or any(t.startswith(p) for p in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT",
                                                          "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                                                          "UBIGINT")):
        return "INTEGER"
    if any(t.startswith(p) for p in ("DOUBLE", "FLOAT", "REAL", "DECIMAL")):
        return "REAL"
    return "TEXT"


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    return v


def export_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables `minutes run` exports, the provenance tables and every research view, as far as
    this store has them (bookkeeping such as HTTP revalidation state stays out)."""
    from models.schema import EXPORT_TABLES
    found = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [t for t in (*EXPORT_TABLES, *PROVENANCE_TABLES, *VIEWS) if t in found]


def export_sqlite(store_dir: str | Path, out_path: str | Path) -> dict[str, int]:
    """All tables and views as one SQLite file for Datasette (`datasette minutes.sqlite`), with FTS5
    indexes on agenda item titles/bodies and decision texts. A `lemmas` column holds the base forms,
    so `kotihoito` finds 'kotihoidon'. Written beside and renamed into place. Returns rows per table."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    with closing(connect(store_dir)) as con, closing(sqlite3.connect(tmp)) as db:
        for table in export_tables(con):
            cols = con.execute(f'DESCRIBE SELECT * FROM "{table}"').fetchall()
            names = [c[0] for c in cols]
            lemma_cols = SQLITE_LEMMA_SOURCE.get(table, ())
            decl = [f'"{n}" {_sqlite_type(t)}' for n, t, *_ in cols]
            if lemma_cols:
                decl.append('"lemmas" TEXT')
            db.execute(f'CREATE TABLE "{table}" ({", ".join(decl)})')
            width = len(names) + (1 if lemma_cols else 0)
            insert = f'INSERT INTO "{table}" VALUES ({", ".join("?" * width)})'
            idx = [names.index(c) for c in lemma_cols]
            cur = con.execute(f'SELECT * FROM "{table}"')
            n = 0
            while True:
                batch = cur.fetchmany(SQLITE_BATCH_ROWS)
                if not batch:
                    break
                rows = []
                for r in batch:
                    row = [_sqlite_value(v) for v in r]
                    if lemma_cols:
                        row.append(lemma_text(" ".join(str(r[i] or "") for i in idx)))
                    rows.append(row)
                db.executemany(insert, rows)
                n += len(batch)
            counts[table] = n
            for col in ("doc_id", "person_id", "meeting_key"):
                if col in names:
                    db.execute(f'CREATE INDEX "idx_{table}_{col}" ON "{table}" ("{col}")')
        for table, fts_cols in SQLITE_FTS.items():
            cols = [*fts_cols, "lemmas"]
            col_list = ", ".join(f"[{c}]" for c in cols)
            db.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({col_list}, "
                       f"tokenize='unicode61 remove_diacritics 0', content=[{table}])")
            db.execute(f"INSERT INTO [{table}_fts] (rowid, {col_list}) SELECT rowid, {col_list} FROM [{table}]")
        db.commit()
    os.replace(tmp, out)
    return counts


# -- Popolo / 6Aika JSON -------------------------------------------------------------------
ORG_CLASSES = (("valtuusto", "council"), ("hallitus", "board"), ("lautakunta", "committee"),
               ("jaosto", "committee"), ("neuvosto", "council"), ("ryhmä", "working group"),
               ("toimikunta", "committee"), ("kokous", "assembly"))


def organization_id(organ: str) -> str:
    return f"organization/{slug(organ) or 'unknown'}"


def organization_class(organ: str) -> str:
    """'Perusturvalautakunta' -> 'committee', from the last word's ending."""
    last = (organ.split() or [""])[-1].lower()
    return next((c for suffix, c in ORG_CLASSES if last.endswith(suffix)), "other")


def _iso(date: str | None, time: str | None) -> str | None:
    if not date:
        return None
    return f"{date}T{time}" if time else date


def export_popolo(store_dir: str | Path, out_path: str | Path) -> dict[str, int]:
    """Organizations, persons, memberships, events (meetings, with attendees) and actions (agenda
    items, with their proposals and decisions as contents), shaped after Popolo and the 6Aika open
    decision API. Ids derive from doc_id, so they are stable across runs. Returns counts."""
    with closing(connect(store_dir)) as con:
        def rows(sql: str) -> list[dict]:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]
        meetings = rows("SELECT m.*, d.actual_start, d.actual_end, d.title FROM meetings m "
                        "JOIN documents d ON d.doc_id = m.doc_id ORDER BY meeting_date, organ, doc_id")
        people = rows("SELECT * FROM people ORDER BY person_id")
        attendance = rows("SELECT * FROM attendance_full ORDER BY doc_id, page, row_id")
        items = rows("SELECT a.* FROM agenda_items a JOIN meetings m ON m.doc_id = a.doc_id ORDER BY a.doc_id, a.seq")
        decisions = rows("SELECT x.* FROM decisions x JOIN meetings m ON m.doc_id = x.doc_id "
                         "ORDER BY x.doc_id, x.item_no, x.stage = 'decision', x.page, x.row_id")
        members = rows("""SELECT person_id, organ, min(meeting_date) AS start_date, max(meeting_date) AS end_date,
                                 string_agg(DISTINCT nullif(meeting_role, ''), '; ' ORDER BY nullif(meeting_role, ''))
                                     AS roles,
                                 count(DISTINCT meeting_key) AS meetings
                          FROM attendance_full WHERE organ <> '' GROUP BY person_id, organ
                          ORDER BY person_id, organ""")
    data = popolo_document(meetings, people, attendance, items, decisions, members)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, out)
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}


def _vote_event(x: dict) -> dict | None:
    """Popolo vote event counts (yes, no, blank, absent) when the decision records a vote."""
    counts = [{"option": o, "value": x[f"vote_{o}"]} for o in ("yes", "no", "blank", "absent")
              if x[f"vote_{o}"] is not None]
    return {"result": x["resolution"] or None, "counts": counts} if counts else None


def popolo_document(meetings: list[dict], people: list[dict], attendance: list[dict], items: list[dict],
                    decisions: list[dict], members: list[dict]) -> dict:
    """Pure: the Popolo / 6Aika JSON from rows of the views."""
    organs = sorted({m["organ"] for m in meetings if m["organ"]})
    organizations = [{"id": organization_id(o), "name": o, "classification": organization_class(o)} for o in organs]
    persons = [{"id": f"person/{p['person_id']}", "name": p["name"],
                "other_names": [{"name": v} for v in sorted(set((p["variants"] or "").split("; ")
                                                                 + (p["written_forms"] or "").split("; ")))
                                if v and v != p["name"]]} for p in people]
    memberships = [{"id": f"membership/{m['person_id']}/{slug(m['organ'])}", "person_id": f"person/{m['person_id']}",
                    "organization_id": organization_id(m["organ"]), "role": m["roles"] or "attendee",
                    "start_date": m["start_date"], "end_date": m["end_date"], "meetings": m["meetings"],
                    "note": "observed in attendance lists, not an official membership register"}
                   for m in members]
    attendees: dict[str, list[dict]] = defaultdict(list)
    for a in attendance:
        attendees[a["doc_id"]].append({
            "person_id": f"person/{a['person_id']}", "name": a["person_name"], "written": a["person_written"],
            "status": a["status"], "role": a["meeting_role"] or "attendee", "title": a["role"],
            "organisation": a["organisation"], "substitute_for": a["substitute_for"] or None,
            "remote": a["remote"] or None, "page": a["page"]})
    contents: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for x in decisions:
        contents[(x["doc_id"], x["item_no"])].append({
            "id": f"content/{x['row_id']}", "type": x["stage"], "ordering": len(contents[(x["doc_id"], x["item_no"])]) + 1,
            "text": x["text"], "resolution": x["resolution"] or None, "resolved_text": x["resolved_text"] or None,
            "page": x["page"], "vote_event": _vote_event(x)})
    events = [{
        "id": f"event/{m['doc_id']}", "name": " ".join(p for p in (m["organ"], m["meeting_number"]) if p),
        "classification": m["doc_type"], "organization_id": organization_id(m["organ"]) if m["organ"] else None,
        "start_date": _iso(m["meeting_date"], m["actual_start"] or m["start_time"]),
        "end_date": _iso(m["meeting_date"], m["actual_end"] or m["end_time"]),
        "location": m["place"] or None, "identifier": m["meeting_number"] or None,
        "meeting_key": m["meeting_key"], "primary_copy": m["primary_copy"],
        "attendees": attendees.get(m["doc_id"], []),
        "sources": [{"url": m["source"], "note": m["file_name"]}]} for m in meetings]
    actions = []
    for it in items:
        decided = contents.get((it["doc_id"], it["item_no"]), [])
        final = next((c for c in reversed(decided) if c["type"] == "decision"), None)
        actions.append({
            "id": f"action/{it['doc_id']}/{it['item_no']}", "event_id": f"event/{it['doc_id']}",
            "title": it["title"], "ordering": it["seq"], "article_number": it["item_no"],
            "resolution": final["resolution"] if final else None, "page": it["page"],
            "contents": decided})
    return {"meta": {"generator": "minutes", "pipeline_version": PIPELINE_VERSION,
                     "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "shape": "Popolo (popoloproject.com) as used by the 6Aika open decision API: "
                              "events are meetings (one per document), actions are agenda items, "
                              "contents are proposals and decisions"},
            "organizations": organizations, "persons": persons, "memberships": memberships,
            "events": events, "actions": actions}
