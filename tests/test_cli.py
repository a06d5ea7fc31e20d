"""The command line: help that explains, a summary that says where the tables are, exit codes."""
import subprocess
import sys

import pytest

from cli.main import build_parser, main
from tests.conftest import DEVSET, ROOT, needs_shared


def test_help_explains_every_option_with_an_example():
    text = build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    for option in ("--out", "--workers", "--dask-address", "--reprocess", "--ocr", "--timeout",
                   "--fail-on-error", "--no-entities", "--max-mb", "--max-pages"):
        assert option in text
    assert "examples:" in text and "minutes run samples/ --out out/" in text


def test_console_script_help_runs():
    exe = ROOT / ".venv" / "bin" / "minutes"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cli.main"]
    res = subprocess.run(cmd + ["run", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "Runs again replace" in res.stdout


@needs_shared
def test_run_summary_and_exit_codes(tmp_path, capsys, prefect_harness):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n")
    good = str(DEVSET / "real" / "r070.pdf")
    out = str(tmp_path / "out")
    assert main(["run", good, str(bad), "--out", out, "--no-entities", "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "1 ok, 1 failed" in text and "broken.pdf" in text and "minutes.duckdb" in text
    assert main(["run", good, str(bad), "--out", out, "--no-entities", "--no-progress",
                 "--fail-on-error", "--reprocess"]) == 1


def test_usage_errors_are_one_clear_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["run", "--out"])
    assert e.value.code == 2
