"""The README and docs/ follow the code (as sqlite-utils checks its docs): every command and option
of `minutes`, every table and column, every error_type is documented. Each check reads the
documentation as text, so the last tests prove each one fails when something is left out."""
import re

import pytest

from cli.main import build_parser
from models.enums import ErrorType
from models.schema import EXTRACTED_TABLES, TABLES
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def _docs_text(readme: str, docs: list = DOCS) -> str:
    return readme + "\n".join(p.read_text(encoding="utf-8") for p in docs)


def cli_surface() -> dict[str, list[str]]:
    """Each command of `minutes` and its long options."""
    commands = build_parser()._subparsers._group_actions[0].choices
    return {name: sorted({o for a in p._actions for o in a.option_strings if o.startswith("--") and o != "--help"})
            for name, p in commands.items()}


def undocumented_cli(readme: str, docs: list = DOCS) -> list[str]:
    text = _docs_text(readme, docs)
    missing = []
    for command, options in cli_surface().items():
        if not re.search(rf"minutes {command}\b", text):
            missing.append(f"minutes {command}")
        missing += [f"minutes {command} {o}" for o in options if not re.search(rf"{re.escape(o)}(?![\w-])", text)]
    return missing


def _section(readme: str, heading: str) -> str:
    return readme.split(heading, 1)[1].split("\n## ", 1)[0] if heading in readme else ""


def table_rows(readme: str) -> dict[str, str]:
    """The README's table list: `table` -> the text of its row."""
    return {m.group(1): m.group(2) for m in re.finditer(r"^\|\s*`(\w+)`\s*\|(.*)$", _section(readme, "## Tables"), re.M)}


def _named(column: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(column)}(?![\w])", text) is not None


def undocumented_columns(readme: str) -> list[str]:
    rows = table_rows(readme)
    common = re.search(r"^Every extracted row .*?(?:\n\n|\Z)", _section(readme, "## Tables"), re.M | re.S)
    common = common.group(0) if common else ""
    missing = []
    for name, spec in TABLES.items():
        if name not in rows:
            missing.append(name)
            continue
        missing += [f"{name}.{c}" for c in spec.columns
                    if not _named(c, rows[name]) and not (name in EXTRACTED_TABLES and _named(f"`{c}`", common))]
    return missing


def undocumented_error_types(readme: str) -> list[str]:
    listed = set(re.findall(r"^\|\s*`(\w+)`\s*\|", _section(readme, "### Bad input"), re.M))
    return [e.value for e in ErrorType if e.value not in listed]


def test_every_command_and_option_is_documented():
    assert undocumented_cli(README.read_text(encoding="utf-8")) == []


def test_every_table_and_column_is_in_the_readme():
    assert undocumented_columns(README.read_text(encoding="utf-8")) == []


def test_every_error_type_is_in_the_readme():
    assert undocumented_error_types(README.read_text(encoding="utf-8")) == []


# -- each check fails when something is left out -----------------------------------------------
def _without_row_word(readme: str, table: str, word: str) -> str:
    """The README with `word` taken out of `table`'s row of the table list."""
    lines = readme.splitlines()
    for n, line in enumerate(lines):
        if line.startswith(f"| `{table}` |"):
            lines[n] = re.sub(rf"(?<![\w]){word}(?![\w])", "", line)
    return "\n".join(lines)


@pytest.mark.parametrize("table, column", [("documents", "processed_at"), ("http_state", "etag"),
                                           ("decisions", "resolution"), ("sources", "file_name")])
def test_a_column_left_out_is_caught(table, column):
    readme = README.read_text(encoding="utf-8")
    assert f"{table}.{column}" in undocumented_columns(_without_row_word(readme, table, column))


def test_a_table_left_out_is_caught():
    readme = "\n".join(line for line in README.read_text(encoding="utf-8").splitlines()
                       if not line.startswith("| `http_state` |"))
    assert "http_state" in undocumented_columns(readme)


@pytest.mark.parametrize("command, option", [("run", "--max-memory-mb"), ("ingest", "--http-timeout"),
                                             ("serve", "--cron"), ("search", "--limit")])
def test_an_option_left_out_is_caught(command, option):
    readme = re.sub(rf"{re.escape(option)}(?![\w-])", "", README.read_text(encoding="utf-8"))
    assert f"minutes {command} {option}" in undocumented_cli(readme, docs=[])   # out of the README, docs/ unread


def test_an_error_type_left_out_is_caught():
    readme = "\n".join(line for line in README.read_text(encoding="utf-8").splitlines()
                       if not line.startswith("| `timeout` |"))
    assert undocumented_error_types(readme) == ["timeout"]
