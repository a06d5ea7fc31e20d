"""One identity per person across documents: a written name ('Tapio Ojalan') in its base form,
case and diacritics ignored, is one person_id; the person_keys table maps every written form."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterable

import duckdb

from extractors.finnish import analyze

NAME_CLASSES = ("etunimi", "sukunimi", "nimi", "paikannimi")
PEOPLE_TABLE = "person_keys"


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
