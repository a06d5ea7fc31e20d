"""`minutes serve` against a real `prefect server start`: a run at start, then runs on the schedule
that pick up a document dropped into the inbox later; without a reachable server it refuses at
once (schedules would never fire). And the --interval parser."""
import argparse
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import duckdb
import httpx
import pytest

from cli.batch import describe_interval, parse_interval
from tests.conftest import ROOT, SAMPLES

SERVER_START_DEADLINE = 240      # seconds: a loaded 2-core machine starts Prefect's server slowly
RUN_DEADLINE = 240               # seconds for serve's first run, then again for the scheduled one
POLL_SECONDS = 2
SAMPLE = SAMPLES / "poytakirja_perusturvalautakunta_2017-09-12.pdf"


@pytest.mark.parametrize("text, expected", [
    ("30s", dt.timedelta(seconds=30)), ("10m", dt.timedelta(minutes=10)), ("1h", dt.timedelta(hours=1)),
    ("1.5h", dt.timedelta(minutes=90)), ("2d", dt.timedelta(days=2)), (" 5S ", dt.timedelta(seconds=5)),
    ("60", dt.timedelta(minutes=60)), ("0.5", dt.timedelta(seconds=30)),   # a plain number: minutes, as before
])
def test_interval_takes_units_and_a_plain_number_is_minutes(text, expected):
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "s", "abc", "10x", "0s", "0.1s", "-5m", "nan", "inf"])
def test_interval_refuses_what_is_not_one(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_interval(text)


def test_interval_is_described_in_its_largest_whole_unit():
    assert [describe_interval(parse_interval(t)) for t in ("5s", "90s", "60", "1.5h", "24h")] == \
        ["5s", "90s", "1h", "90m", "1d"]


def _env(tmp_path, **extra) -> dict:
    """A child's environment: this worktree's code, a Prefect home of its own, no inherited server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    (tmp_path / "prefect-home").mkdir(parents=True, exist_ok=True)
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect-home"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", **extra)
    return env


def _serve(tmp_path, env, *extra) -> list[str]:
    return [sys.executable, "-m", "cli", "serve", "--out", str(tmp_path / "store"), "--inbox",
            str(tmp_path / "inbox"), *extra]


@pytest.mark.parametrize("api_url", [None, "http://127.0.0.1:{port}/api"])
def test_serve_without_a_reachable_server_exits_2_with_the_commands_to_start_one(tmp_path, api_url):
    (tmp_path / "inbox").mkdir()
    extra = {"PREFECT_API_URL": api_url.format(port=_free_port())} if api_url else {}
    env = _env(tmp_path, **extra)
    res = subprocess.run(_serve(tmp_path, env, "--interval", "5s"), cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "`prefect server start`" in lines[0] and "`export PREFECT_API_URL=http://127.0.0.1:4200/api`" in lines[0]
    assert ("not set" in lines[0]) if api_url is None else (extra["PREFECT_API_URL"] in lines[0])
    assert not (tmp_path / "store").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """SIGINT, then SIGTERM, then SIGKILL to the process group the test started."""
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    try:                                   # flow runs serve started are in its group too
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_for(what: str, check, deadline: float, proc_logs: dict, describe=lambda: ""):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        for name, (proc, log) in proc_logs.items():
            assert proc.poll() is None, f"{name} exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
        found = check()
        if found:
            return found
        time.sleep(POLL_SECONDS)
    logs = "\n".join(f"--- {n}\n{log.read_text()[-3000:]}" for n, (_, log) in proc_logs.items())
    pytest.fail(f"no {what} within {deadline} s\n{describe()}\n{logs}")


def _flow_runs(api: str, deployment: str) -> list[dict]:
    try:
        answer = httpx.post(f"{api}/flow_runs/filter", timeout=30, json={   # not the 100 runs scheduled ahead
            "deployments": {"name": {"any_": [deployment]}}, "flow_runs": {"state": {"type": {"not_any_": ["SCHEDULED"]}}},
            "sort": "EXPECTED_START_TIME_ASC", "limit": 200})
        return answer.json() if answer.status_code == 200 else []
    except httpx.HTTPError:
        return []


def _run_states(api: str, deployment: str) -> str:
    """What the server knows of the runs, for a failure message."""
    try:
        runs = httpx.post(f"{api}/flow_runs/filter", timeout=30, json={
            "deployments": {"name": {"any_": [deployment]}}, "sort": "EXPECTED_START_TIME_ASC", "limit": 20}).json()
        return "runs: " + "; ".join(f"{r['name']} {r['state_name']} {r['tags']}" for r in runs)
    except Exception as e:
        return f"runs not listed: {e!r}"


def _stored_files(store) -> set[str]:
    """The file names in the store, read-only; empty while the writer holds the lock."""
    try:
        with duckdb.connect(str(store / "minutes.duckdb"), read_only=True) as con:
            return {r[0] for r in con.execute("SELECT file_name FROM documents WHERE status = 'ok'").fetchall()}
    except (duckdb.Error, OSError):
        return set()


def test_serve_runs_at_start_and_then_on_its_schedule(tmp_path):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    (tmp_path / "inbox").mkdir()
    server_env = _env(tmp_path / "server")
    server_log, serve_log = tmp_path / "server.log", tmp_path / "serve.log"
    with open(server_log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                   "--port", str(port)], cwd=tmp_path, env=server_env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    procs = {"prefect server": (server, server_log)}
    serve = None
    try:
        def healthy():
            try:
                return httpx.get(f"{api}/health", timeout=3).status_code == 200
            except httpx.HTTPError:
                return False
        _wait_for("healthy Prefect server", healthy, SERVER_START_DEADLINE, procs)
        env = _env(tmp_path / "serve", PREFECT_API_URL=api)
        with open(serve_log, "w") as out:
            serve = subprocess.Popen(_serve(tmp_path, env, "--interval", "5s", "--name", "test-serve",
                                            "--workers", "0", "--no-entities"),
                                     cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        procs["minutes serve"] = (serve, serve_log)
        # the run at start: created at once, not a whole interval later; on a loaded machine the
        # first scheduled run (5 s later) may take the one slot first and the run at start is then
        # cancelled by the one-at-a-time rule, so a completed run of either kind counts
        first = _wait_for("completed first run", lambda: [r for r in _flow_runs(api, "test-serve")
                                                          if r["state_type"] == "COMPLETED"],
                          RUN_DEADLINE, procs, describe=lambda: _run_states(api, "test-serve"))
        assert _stored_files(tmp_path / "store") == set()
        shutil.copy(SAMPLE, tmp_path / "inbox" / SAMPLE.name)
        _wait_for("rows of the dropped document", lambda: SAMPLE.name in _stored_files(tmp_path / "store"),
                  RUN_DEADLINE, procs)
        runs = _flow_runs(api, "test-serve")
        scheduled = [r for r in runs if "auto-scheduled" in r["tags"] and r["state_type"] == "COMPLETED"]
        assert scheduled, [(r["name"], r["state_type"], r["tags"]) for r in runs]   # the schedule fired
        assert all(r["name"].startswith("ingest inbox") for r in first + scheduled)
        assert not [r for r in runs if r["state_type"] in ("FAILED", "CRASHED")], runs
        assert [r["state_type"] for r in runs if "first-run" in r["tags"]] in (["COMPLETED"], ["CANCELLED"])
        with duckdb.connect(str(tmp_path / "store" / "minutes.duckdb"), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM agenda_items").fetchone()[0] > 0
    finally:
        if serve is not None:
            _stop(serve)
        _stop(server)
