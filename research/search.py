"""Full-text search that finds Finnish inflected forms: every agenda item's title, body and
decisions indexed by Voikko base forms (and compound parts, with less weight) in search_* tables
of the store, brought up to date lazily; ranked with BM25 over weighted fields."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import duckdb
import pyarrow as pa

from extractors.finnish import WORD_RE, analyze, words
from research.views import MEETING_KEY_SQL, connect, store_path
from store.database import open_duckdb

DEFAULT_LIMIT = 20
BM25_K1 = 1.2                    # term-frequency saturation
BM25_B = 0.75                    # length normalisation
FIELD_WEIGHTS = {"title": 3.0, "body": 1.0, "decision": 1.0}   # a word in an item title counts thrice
COMPOUND_PART_WEIGHT = 0.4       # 'koti' inside 'päiväkodin' counts less than 'koti' itself
SNIPPET_CHARS = 180
INDEX_VERSION = 1                # bump when tokenising changes: every document is indexed again
INDEX_BATCH_DOCS = 200           # documents indexed per transaction
OVERFETCH = 4                    # ranked hits fetched per requested hit before copies are collapsed
SEARCH_TABLES = ("search_docs", "search_units", "search_terms")


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
    with open_duckdb(path, read_only=True) as con:     # waits a little while a run holds the store
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
                   coalesce(a.title, ''), coalesce(a.body, ''), coalesce(a.page, 0), d.format
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
    groups: dict[tuple[str, str], list[tuple[str, str, float]]] = {}    # copies of one item, best first
    for doc_id, item_no, _matched, score in ranked:
        groups.setdefault((meta[(doc_id, item_no)][3], item_no), []).append((doc_id, item_no, score))
    hits: list[SearchHit] = []
    for copies in groups.values():
        # a citation names a PDF's page where a PDF copy matched: a DOCX has no printed pages
        cited = next((c for c in copies if meta[c[:2]][-1] == "pdf"), copies[0])
        doc_id, item_no, _ = cited
        organ, date, file_name, _key, title, body, item_page, _format = meta[(doc_id, item_no)]
        candidates = [("decision", t, p) for t, p, _ in decs[(doc_id, item_no)]]
        candidates += [("body", body, item_page), ("title", title, item_page)]
        where, snippet, page, matched = best_snippet(candidates, q)
        hits.append(SearchHit(doc_id=doc_id, item_no=item_no, title=title, organ=organ, meeting_date=date,
                              file_name=file_name, page=page, snippet=snippet, field=where, matched=matched,
                              score=round(float(copies[0][2]), 3),
                              other_files=[meta[c[:2]][2] for c in copies if c is not cited]))
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
