"""The batch commands of `minutes`: run (files into a store), ingest (one pass over an inbox, URL
lists and feeds) and serve (ingest on a schedule). They share the limits, whose defaults are
Settings' own, and one meaning per option: --max-mb is the largest document, on disk or downloaded.
flows/ is imported when a command runs: Prefect takes seconds to import."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import textwrap
from pathlib import Path

from models.settings import MB, Settings
from readers.ocr import ocr_available
from runner.progress import MODES, displaying, make_display
from runner.workers import DEFAULT_WORKERS, MAX_DEFAULT_WORKERS
from sources.discover import skip_reasons
from sources.fetch import RETRIES, TIMEOUT_SECONDS

DEFAULTS = Settings()


def _number(kind, minimum, what: str):
    """An argparse type: a number of `kind` no smaller than `minimum`, else one clear line."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < minimum or value != value:
            raise argparse.ArgumentTypeError(f"must be {what} (got {text})")
        return value
    return parse


COUNT = _number(int, 0, "0 or more")
AT_LEAST_ONE = _number(int, 1, "1 or more")
POSITIVE = _number(float, 1e-9, "more than 0")

EPILOG = textwrap.dedent("""\
    examples:
      minutes run samples/ --out out/                 every PDF/DOCX under samples/
      minutes run archive/ --out store/ --workers 2   two worker processes, one spaCy model each
      minutes run scans/ --out out/ --no-ocr          leave image-only pages unread (no_text rows)
      minutes run new/ --out store/                   unchanged files are skipped, changed ones replaced
    """)


def add_commands(sub) -> None:
    r = sub.add_parser("run", help="process documents into a store and export tables",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
                       description="Process PDF/DOCX files (folders are searched recursively) with a Prefect "
                                   "flow, store rows in OUT/minutes.duckdb and export every table as "
                                   "OUT/<table>.parquet and OUT/<table>.csv. Runs again replace a document's "
                                   "rows; they never duplicate them.")
    r.add_argument("paths", nargs="+", help="files or folders (e.g. archive/ or minutes/*.pdf)")
    r.add_argument("--out", required=True, help="output folder for the store and the exports (e.g. out/)")
    r.add_argument("--dask-address", default=None,
                   help="run the per-document tasks on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--docs-per-task", type=AT_LEAST_ONE, default=1, metavar="N",
                   help="documents per Prefect task run (default 1: one task per document). Prefect costs "
                        "~50 ms of CPU a task run; 8-20 suits archives of thousands of documents")
    r.add_argument("--reprocess", action="store_true",
                   help="process every file again, even when this pipeline version already did")
    r.add_argument("--fail-on-error", action="store_true",
                   help="exit with status 1 when any document failed (default: 0 once the batch completed)")
    _progress_options(r)
    _limit_options(r)
    r.set_defaults(handler=cmd_run)
    i = sub.add_parser("ingest", help="one incremental pass over an inbox, a URL list and feeds",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=INGEST_EPILOG,
                       description="Fetch what is new or changed, keep each file in OUT/archive/<doc_id>.<ext>, "
                                   "process only new content and replace the rows of a changed source "
                                   "(the old version is listed in document_versions).")
    _ingest_options(i)
    i.set_defaults(handler=cmd_ingest)
    sv = sub.add_parser("serve", help="serve the ingestion flow on a schedule (Prefect)",
                        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=SERVE_EPILOG,
                        description="Serve the ingestion flow with Prefect's scheduler. Scheduled runs need a "
                                    "Prefect server: start one with `prefect server start` and set "
                                    "PREFECT_API_URL=http://127.0.0.1:4200/api first.")
    _ingest_options(sv)
    when = sv.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='cron schedule, e.g. "0 6 * * *" (every day at 6)')
    when.add_argument("--interval", type=parse_interval,
                      help="time between runs with a unit: 30s, 10m, 1h, 1d (a plain number is minutes)")
    sv.add_argument("--name", default="minutes-ingest", help="deployment name (default minutes-ingest)")
    sv.set_defaults(handler=cmd_serve)


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
      minutes serve --out store/ --inbox incoming/ --interval 10m
      minutes serve --out store/ --feed "https://kunta.example/rss" --cron "0 6 * * *"
    The first run starts at once, then one per schedule, one at a time. Without a reachable
    Prefect server serve refuses to start (exit 2): schedules would never fire.
    """)
INTERVAL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}   # a plain number is minutes (the old --interval)
MIN_INTERVAL = dt.timedelta(seconds=1)


def parse_interval(text: str) -> dt.timedelta:
    """'30s', '10m', '1.5h', '1d' or a plain number of minutes, as a timedelta."""
    value = text.strip().lower()
    unit = value[-1] if value[-1:] in INTERVAL_UNITS else "m"
    number = value[:-1] if value[-1:] in INTERVAL_UNITS else value
    try:
        seconds = float(number) * INTERVAL_UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an interval: use e.g. 30s, 10m, 1h, 1d") from None
    if not seconds >= MIN_INTERVAL.total_seconds() or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: an interval is at least {MIN_INTERVAL.seconds} s")
    return dt.timedelta(seconds=seconds)


def describe_interval(interval: dt.timedelta) -> str:
    seconds = interval.total_seconds()
    for unit, size in sorted(INTERVAL_UNITS.items(), key=lambda u: -u[1]):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def _limit_options(p: argparse.ArgumentParser) -> None:
    """What one document may cost, the same for run, ingest and serve."""
    p.add_argument("--workers", type=COUNT, default=DEFAULT_WORKERS,
                   help=f"worker processes, each with its own ~400 MB spaCy model (default: one per CPU, at most "
                        f"{MAX_DEFAULT_WORKERS}: {DEFAULT_WORKERS} here; 0 runs in threads of this process, without "
                        f"the per-document time limit and memory cap)")
    p.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=None,
                   help="read image-only (scanned) pages with tesseract: on by default where tesseract is "
                        "installed (apt-get install tesseract-ocr tesseract-ocr-fin); --no-ocr leaves scans as "
                        "no_text rows")
    p.add_argument("--no-entities", action="store_true", help="skip spaCy named-entity recognition (faster)")
    p.add_argument("--timeout", type=POSITIVE, default=DEFAULTS.timeout_seconds,
                   help=f"seconds one document may take (default {DEFAULTS.timeout_seconds:g})")
    p.add_argument("--max-mb", type=POSITIVE, default=DEFAULTS.max_file_bytes / MB,
                   help=f"largest document in MB, on disk or downloaded (default {DEFAULTS.max_file_bytes / MB:g})")
    p.add_argument("--max-pages", type=AT_LEAST_ONE, default=DEFAULTS.max_pages,
                   help=f"most pages in one PDF (default {DEFAULTS.max_pages})")
    p.add_argument("--max-memory-mb", type=COUNT, default=DEFAULTS.max_memory_mb,
                   help=f"memory cap of a worker process in MB; a file needing more fails alone "
                        f"(default {DEFAULTS.max_memory_mb})")
    p.add_argument("-v", "--verbose", action="store_true", help="show Prefect's and the pipeline's logs")


def _progress_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", choices=MODES, default="auto",
                   help="what to show while documents are processed: auto (a live display on a terminal, "
                        "nothing otherwise), bar, lines (one line per document, for logs) or none")
    p.add_argument("--no-progress", dest="progress", action="store_const", const="none",
                   help="the same as --progress none")


def _settings(args) -> Settings:
    settings = Settings(ocr=args.ocr is not False, entities=not args.no_entities, timeout_seconds=args.timeout,
                        max_file_bytes=int(args.max_mb * MB), max_pages=args.max_pages,
                        max_memory_mb=args.max_memory_mb)
    if args.ocr and not ocr_available(settings.ocr_lang):
        raise ValueError("--ocr needs tesseract with Finnish: apt-get install tesseract-ocr tesseract-ocr-fin")
    return settings


def _ingest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="store folder (created if missing), e.g. store/")
    p.add_argument("--inbox", help="folder to watch for new or changed PDF/DOCX files")
    p.add_argument("--urls", help="text file with one document URL per line")
    p.add_argument("--feed", action="append", default=[], help="RSS/Atom feed URL (repeatable)")
    p.add_argument("--http-timeout", type=POSITIVE, default=TIMEOUT_SECONDS,
                   help=f"seconds per HTTP request (default {TIMEOUT_SECONDS:g})")
    p.add_argument("--reprocess", action="store_true", help="process everything again (a new pipeline version)")
    p.add_argument("--fail-on-error", action="store_true",
                   help="end the flow run Failed (and ingest with status 1) when any document failed")
    _limit_options(p)
    _progress_options(p)


def _ingest_params(args) -> dict:
    if not (args.inbox or args.urls or args.feed):
        raise ValueError("give at least one source: --inbox DIR, --urls FILE or --feed URL")
    return {"out": args.out, "inbox": args.inbox, "url_list": args.urls, "feeds": args.feed,
            "settings": _settings(args), "reprocess": args.reprocess, "http_timeout": args.http_timeout,
            "http_retries": RETRIES, "workers": args.workers, "fail_on_error": args.fail_on_error}


def cmd_ingest(args) -> int:
    params = _ingest_params(args)
    check_out(args.out)
    with displaying(make_display(args.progress)) as display:
        display.starting("starting Prefect ...")
        from flows.ingest import ingest_flow
        from flows.run import unwrap
        summary = unwrap(ingest_flow(**params, return_state=True))
    print_summary(summary, args.out, args.verbose)
    return 1 if args.fail_on_error and summary.documents_failed else 0


def cmd_serve(args) -> int:
    """Refuse at once (exit 2) without a reachable Prefect server: schedules would never fire."""
    from flows.ingest import scheduler_problem, serve_ingest
    problem = scheduler_problem()
    if problem:
        raise RuntimeError(problem)
    params = _ingest_params(args)
    params["settings"] = dataclasses.asdict(params["settings"])
    for key in ("out", "inbox", "url_list"):        # the runs start in processes of their own
        params[key] = params[key] and str(Path(params[key]).resolve())
    when = f"cron {args.cron}" if args.cron else f"every {describe_interval(args.interval)}"
    print(f"serving {args.name}: a run now, then {when}, one at a time; Ctrl-C stops.", flush=True)
    serve_ingest(args.name, params, cron=args.cron, interval=args.interval)
    return 0


def print_summary(summary, out: str, verbose: bool = False) -> None:
    skipped = getattr(summary, "skipped", [])
    reasons = ", ".join(f"{n} {why}" for why, n in skip_reasons(skipped).items())
    print(f"documents: {summary.documents_ok} ok, {summary.documents_failed} failed, "
          f"{summary.unchanged} unchanged (skipped), {summary.skipped_files} other files skipped"
          + (f" ({reasons}{'' if verbose else '; -v lists them'})" if reasons else ""))
    if verbose:
        for f, why in skipped:
            print(f"  skipped {f}: {why}")
    for f, etype, msg in summary.failed[:20]:
        print(f"  failed {f}: [{etype}] {msg}")
    if len(summary.failed) > 20:
        print(f"  ... and {len(summary.failed) - 20} more: SELECT * FROM errors")
    print("rows in store: " + ", ".join(f"{t} {n}" for t, n in summary.rows.items()))
    print(f"store: {summary.store}")
    print(f"tables: {out.rstrip('/')}/<table>.parquet and .csv ({len(summary.exports) // 2} tables)")


def check_paths(paths: list[str]) -> None:
    """Fail in a second, before Prefect starts or a store is made, on a path that is not there
    (a typo would otherwise cost a run that finds nothing)."""
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)}: no such file or folder")


def check_out(out: str) -> None:
    if os.path.exists(out) and not os.path.isdir(out):
        raise ValueError(f"--out {out} is a file: give a folder (it is created if missing)")


def cmd_run(args) -> int:
    check_paths(args.paths)
    check_out(args.out)
    settings = _settings(args)
    with displaying(make_display(args.progress)) as display:
        display.starting("starting Prefect ...")
        from flows.run import run
        summary = run(args.paths, args.out, settings, workers=args.workers, dask_address=args.dask_address,
                      reprocess=args.reprocess, docs_per_task=args.docs_per_task, fail_on_error=args.fail_on_error)
    print_summary(summary, args.out, args.verbose)
    return 1 if args.fail_on_error and summary.documents_failed else 0
