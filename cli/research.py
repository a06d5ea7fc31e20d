"""The researchers' commands of `minutes`: query, search, export and report over a store made by
`minutes run`. `add_commands` adds them to the main parser, each with its handler; cli/main.py
dispatches (errors become one line on stderr and exit status 2)."""
from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import textwrap
from pathlib import Path

from research.datasette_metadata import METADATA_FILE
from research.exports import FORMATS, export
from research.report import write_report
from research.search import search
from research.sqlite import SQLITE_FTS
from research.views import query

COMMANDS = ("query", "search", "export", "report")
DEFAULT_STORE = "out"
TABLE_MAX_ROWS = 1000            # a terminal table longer than this is cut; CSV and JSON are never cut

QUERY_EPILOG = textwrap.dedent("""\
    examples:
      minutes query "SELECT organ, count(*) FROM meetings GROUP BY organ"
      minutes query "SELECT * FROM decisions_full WHERE year = 2017 AND organ = 'Perusturvalautakunta'" --store store/
      minutes query "SELECT * FROM attendance_summary ORDER BY attended DESC LIMIT 10" --format csv > top.csv
      minutes query "COPY (SELECT * FROM meetings) TO 'meetings.json'" --allow-files

    A query reads only the store: reading or writing files (COPY, read_csv, read_text), ATTACH and
    INSTALL are refused unless --allow-files.

    views: meetings, decisions_full, attendance_full, people, attendance_summary, attendance_by_organ
    (columns in docs/research.md); every table of `minutes run` is there too.
    """)
SEARCH_EPILOG = textwrap.dedent("""\
    examples:
      minutes search kotihoito                 finds 'kotihoidon', 'kotihoitoa', ... (Finnish base forms)
      minutes search talousarvion muutos --limit 5
      minutes search "päiväko*" --store store/ prefix: päiväkoti, päiväkodit, ...
      minutes search asemakaava --format json
    """)
EXPORT_EPILOG = textwrap.dedent("""\
    examples:
      minutes export --format sqlite --out minutes.sqlite     then: datasette minutes.sqlite -m metadata.json
      minutes export --format sqlite --out all.sqlite --all-copies   every copy of each meeting (PDF and DOCX)
      minutes export --format popolo --out popolo.json --store store/
    """)
REPORT_EPILOG = textwrap.dedent("""\
    examples:
      minutes report --out report.html
      minutes report --out /srv/www/meetings.html --store store/
    """)


def _add_store(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", default=DEFAULT_STORE,
                   help=f"folder holding minutes.duckdb, the --out of `minutes run` (default {DEFAULT_STORE})")


def add_commands(subparsers) -> None:
    """Add query, search, export and report to the `minutes` subcommands."""
    fmt = argparse.RawDescriptionHelpFormatter
    q = subparsers.add_parser("query", help="run SQL on the store (read-only)", formatter_class=fmt,
                              epilog=QUERY_EPILOG,
                              description="Run one SQL statement on the store, read-only. A table in a "
                                          "terminal, CSV when piped (or choose with --format).")
    q.add_argument("sql", help='the statement, quoted: "SELECT * FROM meetings"')
    _add_store(q)
    q.add_argument("--format", choices=("table", "csv", "json"), default=None,
                   help="output format (default: table in a terminal, csv when piped)")
    q.add_argument("--allow-files", action="store_true",
                   help="let the query read and write files (COPY ... TO, read_csv), attach databases and "
                        "install extensions; without it a query sees only the store")
    q.set_defaults(handler=cmd_query)

    s = subparsers.add_parser("search", help="full-text search that understands Finnish inflection",
                              formatter_class=fmt, epilog=SEARCH_EPILOG,
                              description="Search agenda item titles, bodies and decisions. Words match in "
                                          "any inflected form (Voikko base forms); compound parts match "
                                          "with less weight; 'word*' matches by prefix. The first search "
                                          "after a run indexes the new documents.")
    s.add_argument("text", nargs="+", help="words to look for (kotihoito, 'talousarvion muutos')")
    _add_store(s)
    s.add_argument("--limit", type=int, default=20, help="most hits to show (default 20)")
    s.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    s.set_defaults(handler=cmd_search)

    e = subparsers.add_parser("export", help="export the store for Datasette (SQLite), as Popolo JSON, Parquet or CSV",
                              formatter_class=fmt, epilog=EXPORT_EPILOG,
                              description=" ".join(f"{f.name}: {f.help}." for f in FORMATS.values()))
    e.add_argument("--format", choices=tuple(FORMATS), required=True, help="what to write")
    e.add_argument("--out", required=True,
                   help="file to write (e.g. minutes.sqlite or popolo.json), or a folder for parquet and csv")
    e.add_argument("--all-copies", action="store_true",
                   help="sqlite: keep the rows of every copy of a meeting (PDF and DOCX, agenda and minutes); "
                        "by default only its primary copy's")
    _add_store(e)
    e.set_defaults(handler=cmd_export)

    r = subparsers.add_parser("report", help="write a self-contained HTML report with charts",
                              formatter_class=fmt, epilog=REPORT_EPILOG,
                              description="One HTML file with inline SVG charts (meetings and decisions "
                                          "per month and organ, resolutions, attendance) and tables; "
                                          "opens offline.")
    r.add_argument("--out", default="report.html", help="file to write (default report.html)")
    _add_store(r)
    r.set_defaults(handler=cmd_report)


def _cell(v) -> str:
    return "" if v is None else str(v)


def cmd_query(args) -> int:
    columns, rows = query(args.store, args.sql, allow_files=args.allow_files)
    fmt = args.format or ("table" if sys.stdout.isatty() else "csv")
    if fmt == "json":
        json.dump([dict(zip(columns, r)) for r in rows], sys.stdout, ensure_ascii=False, default=str, indent=1)
        sys.stdout.write("\n")
    elif fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        w.writerows([_cell(v) for v in r] for r in rows)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text
        table = Table(show_lines=False, header_style="bold")
        for c in columns:                       # Text, not str: '[/b]' in data is data, not rich markup
            table.add_column(Text(c), overflow="fold")
        for r in rows[:TABLE_MAX_ROWS]:
            table.add_row(*[Text(_cell(v)) for v in r])
        console = Console()
        console.print(table)
        cut = f", first {TABLE_MAX_ROWS} shown: use --format csv for all" if len(rows) > TABLE_MAX_ROWS else ""
        console.print(f"[dim]{len(rows)} row{'s' if len(rows) != 1 else ''}{cut}[/dim]")
    return 0


def cmd_search(args) -> int:
    text = " ".join(args.text)
    hits = search(args.store, text, limit=args.limit)
    if args.format == "json":
        json.dump([dataclasses.asdict(h) for h in hits], sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    if not hits:
        print(f"no matches for {text!r}", file=sys.stderr)
        return 0
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text
        console = Console(highlight=False)
        for n, h in enumerate(hits, 1):
            console.print(Text.assemble((f"{n}. ", "dim"), (f"{h.organ} {h.meeting_date or ''}", "bold"),
                                        f"  § {h.item_no} {h.title}"))
            snippet = Text("   " + h.snippet)
            for word in h.matched:
                snippet.highlight_words([word], style="bold yellow")
            console.print(snippet)
            also = f"  (also {', '.join(h.other_files)})" if h.other_files else ""
            console.print(Text(f"   {h.file_name} p. {h.page}{also}", style="dim"))
    else:
        for n, h in enumerate(hits, 1):
            also = f" (also {', '.join(h.other_files)})" if h.other_files else ""
            print(f"{n}. {h.organ} {h.meeting_date or ''}  § {h.item_no} {h.title}\n"
                  f"   {h.snippet}\n   {h.file_name} p. {h.page}{also}")
    return 0


def cmd_export(args) -> int:
    if args.all_copies and args.format != "sqlite":
        raise ValueError("--all-copies is an option of --format sqlite")
    counts = export(args.format, args.store, args.out, **({"all_copies": True} if args.all_copies else {}))
    if args.format == "sqlite":
        meta = Path(args.out).with_name(METADATA_FILE)
        print(f"wrote {args.out} and {meta}: {len(counts)} tables, {sum(counts.values())} rows, "
              f"{'every copy' if args.all_copies else 'one copy'} per meeting, full-text search on "
              f"{', '.join(SQLITE_FTS)}; open it with: datasette {args.out} -m {meta}")
    elif FORMATS[args.format].folder:
        print(f"wrote {len(counts)} tables to {args.out.rstrip('/')}/<table>.{args.format}, {sum(counts.values())} rows")
    else:
        print(f"wrote {args.out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def cmd_report(args) -> int:
    out = write_report(args.store, args.out)
    print(f"wrote {out}")
    return 0
