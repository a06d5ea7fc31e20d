"""`minutes`: a thin command line over the library. Errors become one clear line, exit codes
say what happened (0 batch done, 1 --fail-on-error and a document failed, 2 usage)."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import os
import sys
import textwrap

from pipeline import cli_research

MAX_DEFAULT_WORKERS = 4       # each worker holds a spaCy model (~400 MB); more is a choice, not a default
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))

EPILOG = textwrap.dedent("""\
    examples:
      minutes run samples/ --out out/                 every PDF/DOCX under samples/
      minutes run archive/ --out store/ --workers 2   two worker processes, one spaCy model each
      minutes run scan.pdf --out out/ --ocr           read image-only pages with tesseract
      minutes run new/ --out store/                   unchanged files are skipped, changed ones replaced
    """)


def _quiet_prefect(verbose: bool) -> None:
    """Prefect logs every task at INFO; a batch user wants the progress bar and the summary."""
    level = "INFO" if verbose else "WARNING"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", level)
    os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL", level)
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR" if not verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")   # no network here to send it to
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="minutes", description="Finnish meeting documents (PDF, DOCX) into tables.",
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="process documents into a store and export tables",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
                       description="Process PDF/DOCX files (folders are searched recursively) with a Prefect "
                                   "flow, store rows in OUT/minutes.duckdb and export every table as "
                                   "OUT/<table>.parquet and OUT/<table>.csv. Runs again replace a document's "
                                   "rows; they never duplicate them.")
    r.add_argument("paths", nargs="+", help="files or folders (e.g. archive/ or minutes/*.pdf)")
    r.add_argument("--out", required=True, help="output folder for the store and the exports (e.g. out/)")
    r.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                   help=f"worker processes, each with its own ~400 MB spaCy model (default: one per CPU, at most "
                        f"{MAX_DEFAULT_WORKERS}: {DEFAULT_WORKERS} here; 0 runs in threads of this process, without "
                        f"the per-document time limit)")
    r.add_argument("--dask-address", default=None,
                   help="run the per-document tasks on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--docs-per-task", type=int, default=1, metavar="N",
                   help="documents per Prefect task run (default 1: one task per document). Prefect costs "
                        "~50 ms of CPU a task run; 8-20 suits archives of thousands of documents")
    r.add_argument("--reprocess", action="store_true",
                   help="process every file again, even when this pipeline version already did")
    r.add_argument("--ocr", action="store_true",
                   help="read image-only (scanned) pages with tesseract (apt-get install tesseract-ocr tesseract-ocr-fin)")
    r.add_argument("--no-entities", action="store_true", help="skip spaCy named-entity recognition (faster)")
    r.add_argument("--timeout", type=float, default=300.0, help="seconds one document may take (default 300)")
    r.add_argument("--max-mb", type=float, default=200.0, help="largest file in MB (default 200)")
    r.add_argument("--max-pages", type=int, default=2000, help="most pages in one PDF (default 2000)")
    r.add_argument("--max-memory-mb", type=int, default=6144,
                   help="memory cap of a worker process in MB; a file needing more fails alone (default 6144)")
    r.add_argument("--fail-on-error", action="store_true",
                   help="exit with status 1 when any document failed (default: 0 once the batch completed)")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.add_argument("-v", "--verbose", action="store_true", help="show Prefect's and the pipeline's logs")
    i = sub.add_parser("ingest", help="one incremental pass over an inbox, a URL list and feeds",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=INGEST_EPILOG,
                       description="Fetch what is new or changed, keep each file in OUT/archive/<doc_id>.<ext>, "
                                   "process only new content and replace the rows of a changed source "
                                   "(the old version is listed in document_versions).")
    _ingest_options(i)
    sv = sub.add_parser("serve", help="serve the ingestion flow on a schedule (Prefect)",
                        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=SERVE_EPILOG,
                        description="Serve the ingestion flow with Prefect's scheduler. Scheduled runs need a "
                                    "Prefect server: start one with `prefect server start` and set "
                                    "PREFECT_API_URL=http://127.0.0.1:4200/api first.")
    _ingest_options(sv)
    when = sv.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='cron schedule, e.g. "0 6 * * *" (every day at 6)')
    when.add_argument("--interval", type=float, help="minutes between runs, e.g. 60")
    sv.add_argument("--name", default="minutes-ingest", help="deployment name (default minutes-ingest)")
    cli_research.add_commands(sub)
    return p


INGEST_EPILOG = textwrap.dedent("""\
    examples:
      minutes ingest --out store/ --inbox incoming/
      minutes ingest --out store/ --feed "https://kunta.example/dynasty/DREQUEST.PHP?page=rss/meetingitems"
      minutes ingest --out store/ --urls urls.txt --max-mb 50
    """)
SERVE_EPILOG = textwrap.dedent("""\
    examples:
      prefect server start &                      # once: scheduled runs need a server
      export PREFECT_API_URL=http://127.0.0.1:4200/api
      minutes serve --out store/ --inbox incoming/ --interval 60
      minutes serve --out store/ --feed "https://kunta.example/rss" --cron "0 6 * * *"
    """)


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="store folder (created if missing), e.g. store/")
    p.add_argument("--inbox", help="folder to watch for new or changed PDF/DOCX files")
    p.add_argument("--urls", help="text file with one document URL per line")
    p.add_argument("--feed", action="append", default=[], help="RSS/Atom feed URL (repeatable)")
    p.add_argument("--max-mb", type=float, default=100.0, help="largest download in MB (default 100)")
    p.add_argument("--http-timeout", type=float, default=20.0, help="seconds per HTTP request (default 20)")
    p.add_argument("--reprocess", action="store_true", help="process everything again (a new pipeline version)")
    p.add_argument("--ocr", action="store_true", help="OCR image-only PDFs with tesseract")
    p.add_argument("--no-entities", action="store_true", help="skip named-entity recognition")
    p.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")


def _ingest_params(args) -> dict:
    from pipeline.settings import Settings
    if not (args.inbox or args.urls or args.feed):
        raise ValueError("give at least one source: --inbox DIR, --urls FILE or --feed URL")
    return {"out": args.out, "inbox": args.inbox, "url_list": args.urls, "feeds": args.feed,
            "settings": Settings(ocr=args.ocr, entities=not args.no_entities), "reprocess": args.reprocess,
            "max_mb": args.max_mb, "http_timeout": args.http_timeout}


def cmd_ingest(args) -> int:
    from flows.ingest import ingest_flow
    summary = ingest_flow(**_ingest_params(args), progress=sys.stderr.isatty())
    _print_summary(summary, args.out)
    return 0


def cmd_serve(args) -> int:
    from flows.ingest import ingest_flow
    params = _ingest_params(args)
    params["settings"] = dataclasses.asdict(params["settings"])
    kwargs = {"cron": args.cron} if args.cron else {"interval": dt.timedelta(minutes=args.interval)}
    print(f"serving {args.name}: {'cron ' + args.cron if args.cron else f'every {args.interval:g} min'}; "
          f"Ctrl-C stops. Scheduled runs need `prefect server start` (PREFECT_API_URL set).")
    ingest_flow.serve(name=args.name, parameters=params, **kwargs)
    return 0


def _print_summary(summary, out: str) -> None:
    print(f"documents: {summary.documents_ok} ok, {summary.documents_failed} failed, "
          f"{summary.unchanged} unchanged (skipped), {summary.skipped_files} other files skipped")
    for f, etype, msg in summary.failed[:20]:
        print(f"  failed {f}: [{etype}] {msg}")
    if len(summary.failed) > 20:
        print(f"  ... and {len(summary.failed) - 20} more: SELECT * FROM errors")
    print("rows in store: " + ", ".join(f"{t} {n}" for t, n in summary.rows.items()))
    print(f"store: {summary.store}")
    print(f"tables: {out.rstrip('/')}/<table>.parquet and .csv ({len(summary.exports) // 2} tables)")


def cmd_run(args) -> int:
    from pipeline.settings import MB, Settings
    from flows.run import ORCHESTRATION_NICENESS, run
    settings = Settings(ocr=args.ocr, entities=not args.no_entities, timeout_seconds=args.timeout,
                        max_file_bytes=int(args.max_mb * MB), max_pages=args.max_pages,
                        max_memory_mb=args.max_memory_mb)
    if args.docs_per_task < 1:
        print("minutes: --docs-per-task must be at least 1", file=sys.stderr)
        return 2
    if args.ocr:
        from pipeline.ocr import ocr_available
        if not ocr_available(settings.ocr_lang):
            print("minutes: --ocr needs tesseract with Finnish: apt-get install tesseract-ocr tesseract-ocr-fin",
                  file=sys.stderr)
            return 2
    progress = not args.no_progress and sys.stderr.isatty()
    summary = run(args.paths, args.out, settings, workers=args.workers, dask_address=args.dask_address,
                  reprocess=args.reprocess, progress=progress, niceness=ORCHESTRATION_NICENESS,
                  docs_per_task=args.docs_per_task)
    _print_summary(summary, args.out)
    return 1 if args.fail_on_error and summary.documents_failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _quiet_prefect(getattr(args, "verbose", False))
    try:
        code = cli_research.dispatch(args)
        if code is not None:
            return code
        if args.command == "run":
            return cmd_run(args)
        if args.command == "ingest":
            return cmd_ingest(args)
        if args.command == "serve":
            return cmd_serve(args)
    except KeyboardInterrupt:
        print("minutes: interrupted; documents written so far are kept", file=sys.stderr)
        return 130
    except (RuntimeError, FileNotFoundError, ValueError) as e:
        print(f"minutes: {e}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
