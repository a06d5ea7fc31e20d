"""Children die with their parent. A batch starts a forkserver, worker processes (~400 MB each),
tesseract and Prefect's server; if the command is killed outright (kill -9, the OOM killer) they
would wait for ever for orders that never come. A small watcher process notes this process's
descendants every second; when this process is gone, it ends those still running.

Run as `python -m runner.reaper PID`; `watch_children()` starts it for the calling process."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil

POLL_SECONDS = 0.5              # a look costs ~2 ms of CPU
GRACE_SECONDS = 3.0              # between SIGTERM and SIGKILL for the orphans


_watcher: subprocess.Popen | None = None


def watch_children() -> subprocess.Popen | None:
    """Start the watcher for this process, once (in its own session: Ctrl-C in the terminal does
    not reach it, and it outlives a killed parent by design). None where it cannot start."""
    global _watcher
    if _watcher is not None and _watcher.poll() is None:
        return _watcher
    try:
        _watcher = subprocess.Popen([sys.executable, "-m", "runner.reaper", str(os.getpid())],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    except OSError:
        return None
    return _watcher


def descendants(parent: psutil.Process, me: int) -> dict[int, psutil.Process]:
    try:
        return {p.pid: p for p in parent.children(recursive=True) if p.pid != me}
    except psutil.Error:
        return {}


def end(processes: list[psutil.Process]) -> None:
    """SIGTERM, then SIGKILL for those still there after GRACE_SECONDS. psutil checks each
    process's start time, so a PID reused since the last look is never touched."""
    alive = []
    for p in processes:
        try:
            if p.is_running():
                p.terminate()
                alive.append(p)
        except psutil.Error:
            pass
    _, still = psutil.wait_procs(alive, timeout=GRACE_SECONDS)
    for p in still:
        try:
            p.kill()
        except psutil.Error:
            pass


def watch(pid: int) -> None:
    try:
        parent = psutil.Process(pid)
    except psutil.Error:
        return
    me = os.getpid()
    known: dict[int, psutil.Process] = {}
    while True:
        try:
            running = parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            running = False
        if not running:
            break
        known.update(descendants(parent, me))
        known = {k: p for k, p in known.items() if p.is_running()}
        time.sleep(POLL_SECONDS)
    end(list(known.values()))


if __name__ == "__main__":
    watch(int(sys.argv[1]))
