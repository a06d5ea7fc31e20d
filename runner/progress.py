"""What a batch shows while it runs: a live display on a terminal (rich), one line per document for
logs, or nothing. The command line makes the display before Prefect starts (its start takes seconds,
which the user sees as "starting Prefect"); the batch runner finds it with `progress(total)`."""
from __future__ import annotations

import contextlib
import sys
import time
from typing import TextIO

MODES = ("auto", "bar", "lines", "none")


class NoBar:
    """The quiet display: a batch calls these whatever the user chose."""

    def starting(self, what: str) -> None:
        pass

    def begin(self, total: int) -> "NoBar":
        return self

    def advance(self, name: str = "", pages: int = 0, error: str = "", unchanged: bool = False) -> None:
        pass

    def close(self) -> None:
        pass


class LineDisplay(NoBar):
    """One line per processed document with the batch's count, pages and rate: for logs and CI."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.total = self.done = self.pages = 0
        self.started = time.monotonic()

    def _say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def starting(self, what: str) -> None:
        self._say(f"minutes: {what}")

    def begin(self, total: int) -> "LineDisplay":
        self.total, self.started = total, time.monotonic()
        self._say(f"minutes: {total} documents")
        return self

    def advance(self, name: str = "", pages: int = 0, error: str = "", unchanged: bool = False) -> None:
        self.done += 1
        self.pages += pages
        if unchanged:
            return
        rate = self.pages / max(time.monotonic() - self.started, 1e-6)
        what = f"FAILED {name}: {error}" if error else f"ok {name} ({pages} p)"
        self._say(f"[{self.done}/{self.total}] {what}  [{rate:.1f} pages/s]")

    def close(self) -> None:
        if self.total and not getattr(self, "closed", False):
            self.closed = True
            self._say(f"minutes: {self.done}/{self.total} documents, {self.pages} pages in "
                      f"{time.monotonic() - self.started:.0f} s")


class LiveDisplay(NoBar):
    """A rich progress display: a spinner while Prefect starts, then documents done of all, pages,
    pages/s, time left and the file just finished; failures are printed above it as they happen."""

    def __init__(self, stream: TextIO | None = None):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        self.console = Console(file=stream or sys.stderr)
        self.p = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                          MofNCompleteColumn(), TextColumn("{task.fields[pages]} pages, {task.fields[rate]}"),
                          TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                          TextColumn("[dim]{task.fields[name]}"), console=self.console, transient=False)
        self.t = None
        self.pages = 0
        self.started = time.monotonic()

    def starting(self, what: str) -> None:
        self.p.start()
        self.t = self.p.add_task(what, total=None, pages=0, rate="", name="")

    def begin(self, total: int) -> "LiveDisplay":
        if self.t is None:
            self.starting("documents")
        self.started = time.monotonic()
        self.p.reset(self.t, total=total, description="documents", pages=0, rate="", name="")
        return self

    def advance(self, name: str = "", pages: int = 0, error: str = "", unchanged: bool = False) -> None:
        from rich.markup import escape
        if self.t is None:
            return
        self.pages += pages
        rate = self.pages / max(time.monotonic() - self.started, 1e-6)
        if error:
            self.p.console.print(f"[red]failed[/red] {escape(name)}: {escape(error)}")
        self.p.update(self.t, advance=1, pages=self.pages, rate=f"{rate:.1f} pages/s",
                      name=escape(name[-40:]) if not unchanged else "")

    def close(self) -> None:
        self.p.stop()


_active: NoBar | None = None


def make_display(mode: str, stream: TextIO | None = None) -> NoBar:
    """`auto`: the live display on a terminal, nothing otherwise; `bar`, `lines`, `none` as named."""
    stream = stream or sys.stderr
    if mode == "auto":
        mode = "bar" if stream.isatty() else "none"
    return {"bar": LiveDisplay, "lines": LineDisplay}.get(mode, lambda s: NoBar())(stream)


@contextlib.contextmanager
def displaying(display: NoBar):
    """Make `display` the one batches in this process report to, and close it at the end."""
    global _active
    _active = display
    try:
        yield display
    finally:
        _active = None
        display.close()


def progress(enabled: bool, total: int) -> NoBar:
    """The display of a batch of `total` documents: the one the command line made, else a live
    one when `enabled` (a library caller's choice), else none."""
    if _active is not None:
        return _active.begin(total)
    return LiveDisplay().begin(total) if enabled and total else NoBar()
