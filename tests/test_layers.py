"""The layout holds: imports run only down the floors, no modules import each other (directly or
round a loop), flows/ stays orchestration-sized and no core module grows past a reader's reach.
The import graph is read from the source with `ast`, every import counted, those inside functions
too: a function-level import cannot hide an arrow."""
import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# floor of each top-level package: a module may import its own package and lower floors only
FLOORS = {"models": 0, "extractors": 1, "readers": 2, "store": 2, "sources": 3, "research": 3,
          "runner": 4, "flows": 5, "cli": 6}
CORE = ("readers", "store", "sources", "research", "runner")
FLOWS_MAX_LINES = 300
CORE_MODULE_MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in FLOORS for p in sorted((ROOT / pkg).rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports (a package's module when `from pkg import module`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                     for a in node.names]
        else:
            continue
        found |= {n for n in names if n.split(".")[0] in FLOORS}
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(path, set(mods)) - {name} for name, path in mods.items()}


def upward(g: dict[str, set[str]]) -> list[str]:
    """Imports of a package on the same or a higher floor than the importer's (its own excepted)."""
    bad = []
    for mod, targets in g.items():
        here = mod.split(".")[0]
        for t in targets:
            there = t.split(".")[0]
            if there != here and FLOORS[there] >= FLOORS[here]:
                bad.append(f"{mod} -> {t}")
    return sorted(bad)


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in list(g):
        if v not in index:
            visit(v)
    return out


def test_every_package_has_a_floor():
    top = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "samples", "synth", "bench"}
    assert top <= set(FLOORS), top - set(FLOORS)


def test_no_import_runs_up_a_floor():
    assert upward(graph()) == []


def test_no_modules_import_each_other():
    assert cycles(graph()) == []


def test_only_the_cli_imports_flows():
    g = graph()
    assert sorted(m for m, ts in g.items() if any(t.split(".")[0] == "flows" for t in ts)
                  and not m.startswith(("flows", "cli"))) == []


def test_flows_are_orchestration_sized():
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "flows").rglob("*.py"))
    assert lines <= FLOWS_MAX_LINES, lines


@pytest.mark.parametrize("package", CORE)
def test_no_core_module_over_500_lines(package):
    long = {p.name: n for p in (ROOT / package).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > CORE_MODULE_MAX_LINES}
    assert long == {}


def test_nothing_reads_flow_files_as_text():
    """Constants are imported from runner/, never read out of flows/ with a regex."""
    for p in (ROOT / "bench").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        assert '"flows" /' not in text and "flows/run.py\").read" not in text, p.name


# -- the checks themselves catch what they should -----------------------------------------
@pytest.mark.parametrize("edge, kind", [
    (("models.rows", "store.database"), "up"),            # models importing the store
    (("readers.pdf", "store.database"), "up"),            # a sibling on the same floor
    (("runner.batch", "flows.run"), "up"),                # the runner importing Prefect's flows
    (("store.database", "research.views"), "up"),         # the old store -> research arrow
    (("research.views", "research.search"), "cycle"),     # search imports views: a loop
])
def test_the_checks_catch_a_bad_arrow(edge, kind):
    g = graph()
    g.setdefault(edge[0], set()).add(edge[1])
    if kind == "up":
        assert f"{edge[0]} -> {edge[1]}" in upward(g)
    else:
        assert any(set(edge) <= set(c) for c in cycles(g))
