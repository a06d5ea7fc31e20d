"""A Datasette plugin (loaded through the `datasette` entry point wherever minutes is installed, or
with `--plugins-dir`): Datasette's search box finds Finnish inflected forms, and SQL gets
fi_lemmas(text) and fi_query(words). Datasette passes every `?_search=` through the SQL function
escape_fts; this one also matches each word's base forms (see research.sqlite.fts_query)."""
from __future__ import annotations

from datasette import hookimpl

from research.sqlite import fi_lemmas, fts_query


@hookimpl(trylast=True)        # after Datasette's own prepare_connection, which registers escape_fts
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query)
    conn.create_function("fi_query", 1, fts_query)
    conn.create_function("fi_lemmas", 1, fi_lemmas)
