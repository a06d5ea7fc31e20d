"""`minutes`: a thin command line over the library. Every command registers its parser and its
handler (cli/batch.py: run, ingest, serve; cli/research.py: query, search, export, report); one
dispatch runs it. Errors become one clear line, exit codes say what happened (0 done, 1
--fail-on-error and a document failed, 2 usage or an error, 130 interrupted)."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
import threading

import duckdb

from cli import batch, research
from cli.batch import EPILOG
from runner.reaper import watch_children
from sources.fetch import request_stop

BATCH_COMMANDS = ("run", "ingest", "serve")

EXIT_ERROR = 2
PREFECT_STARTUP_SECONDS = 120   # Prefect's own 20 s is too short for a server starting beside busy workers


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (the usage itself is one --help away)."""

    def error(self, message: str):
        self.exit(EXIT_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from models.schema import SCHEMA_VERSION
    from models.version import PIPELINE_VERSION
    try:
        package = version("minutes")
    except PackageNotFoundError:
        package = "(not installed)"
    return f"minutes {package} (pipeline {PIPELINE_VERSION}, store schema {SCHEMA_VERSION})"


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="minutes", description="Finnish meeting documents (PDF, DOCX) into tables.",
               formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    p.add_argument("--version", action="version", version=version_text())
    sub = p.add_subparsers(dest="command", required=True)
    batch.add_commands(sub)
    research.add_commands(sub)
    return p


def _quiet_prefect(verbose: bool) -> None:
    """Prefect logs every task at INFO; a batch user wants the progress bar and the summary."""
    level = "INFO" if verbose else "WARNING"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", level)
    os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL", level)
    for runs in ("PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL", "PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL"):
        if verbose:       # -v shows them, whatever an earlier quiet call left in the environment
            os.environ[runs] = level
        else:             # a failure is one line of ours (and an errors row); Prefect's traceback only with -v
            os.environ.setdefault(runs, "CRITICAL")
    # the server's errors at shutdown ("Error flushing 1 events", CancelledError) are its own, harmless
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL" if not verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")   # no network here to send it to
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(PREFECT_STARTUP_SECONDS))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


def one_line(error: BaseException) -> str:
    """DuckDB's messages span lines (the statement, a caret); the first line says what is wrong."""
    text = str(error).strip() or type(error).__name__
    return " ".join(text.splitlines()[0].split())


def dispatch(args: argparse.Namespace) -> int:
    """Run the command's handler; its errors become one line on stderr and exit status 2."""
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("minutes: interrupted; documents written so far are kept", file=sys.stderr)
        return 130
    except BrokenPipeError:          # `minutes query ... | head`: the reader has gone, that is fine
        sys.stderr.close()
        return 0
    except (RuntimeError, FileNotFoundError, ValueError, OSError, duckdb.Error, sqlite3.Error) as e:
        print(f"minutes {args.command}: {one_line(e)}", file=sys.stderr)
        return EXIT_ERROR


def _terminate_as_interrupt() -> None:
    """SIGTERM (systemd, docker stop, kill) ends a batch as Ctrl-C does: documents written so far
    are kept, workers stop, exit status 130, within seconds rather than when the batch ends. The
    workers are ended where results are awaited (runner.workers.stopping_workers_on_interrupt),
    which also sees the TerminationSignal Prefect raises instead while a flow runs."""
    def on_stop(signum, frame):
        request_stop()          # HTTP waits in other threads end too (sources/fetch.py)
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_stop)
        signal.signal(signal.SIGINT, on_stop)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_prefect(getattr(args, "verbose", False))
    if args.command in BATCH_COMMANDS:
        _terminate_as_interrupt()
        watch_children()
    return dispatch(args)


if __name__ == "__main__":
    sys.exit(main())
