"""The progress bar of a batch on a terminal (rich), or none."""
from __future__ import annotations


class NoBar:
    def advance(self, name: str = "") -> None:
        pass

    def close(self) -> None:
        pass


class RichBar(NoBar):
    def __init__(self, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        self.p = Progress(TextColumn("[bold]documents"), BarColumn(), MofNCompleteColumn(),
                          TimeRemainingColumn(), TextColumn("{task.description}"), transient=False)
        self.p.start()
        self.t = self.p.add_task("", total=total)

    def advance(self, name: str = "") -> None:
        self.p.update(self.t, advance=1, description=name[:40])

    def close(self) -> None:
        self.p.stop()


def progress(enabled: bool, total: int):
    return RichBar(total) if enabled and total else NoBar()
