"""The project's own measure: ../shared/devset/score.py over the flow's output. CI fails when
the dev-set scores drop below the targets of issue 3."""
import json
import subprocess
import sys

import pytest

from flows.run import run_flow
from models.settings import Settings
from tests.conftest import DEVSET, SAMPLES, FIXTURES, devset_files, real_files, needs_shared

pytestmark = needs_shared

TARGETS = {"attendance": 0.95, "agenda_items": 0.95, "dates": 0.95, "decisions": 0.90}
MEETING_TARGET = 0.95


@pytest.fixture(scope="module")
def scored_out(tmp_path_factory, prefect_harness):
    out = tmp_path_factory.mktemp("devset-out")
    files = [str(p) for p in devset_files() + real_files()] + [str(SAMPLES), str(FIXTURES)]
    run_flow(paths=files, out=str(out), settings=Settings(ocr=True, entities=False))
    return out


def _score(out, gold_dir, doc=None):
    cmd = [sys.executable, str(DEVSET / "score.py"), str(out), str(gold_dir), "--json"]
    if doc:
        cmd += ["--doc", doc]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout)["summary"]


@pytest.mark.parametrize("gold_dir", [DEVSET / "gold", DEVSET / "real" / "gold"], ids=["seed-memo", "real"])
def test_devset_meets_targets(scored_out, gold_dir):
    s = _score(scored_out, gold_dir)
    print(json.dumps(s, indent=1))
    assert not s["documents_missing"]
    for table, target in TARGETS.items():
        assert s[table]["f1"] >= target, (table, s[table])
    assert s["meeting_fields_accuracy"] >= MEETING_TARGET


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_memo_meets_targets_in_each_format(scored_out, suffix, tmp_path):
    """score.py pools the PDF and the DOCX of one stem; split them so each format must hold."""
    import pandas as pd
    docs = pd.read_csv(scored_out / "documents.csv", dtype=str)
    keep = set(docs.loc[docs.file_name.str.endswith(suffix), "doc_id"])
    for table in ("documents", "attendance", "agenda_items", "decisions", "dates"):
        df = pd.read_csv(scored_out / f"{table}.csv", dtype=str, keep_default_na=False)
        df[df.doc_id.isin(keep)].to_csv(tmp_path / f"{table}.csv", index=False)
    s = _score(tmp_path, DEVSET / "gold")
    for table, target in TARGETS.items():
        assert s[table]["f1"] >= target, (suffix, table, s[table])
    assert s["meeting_fields_accuracy"] >= MEETING_TARGET


@pytest.mark.parametrize("gold_dir", [SAMPLES / "gold", FIXTURES / "gold", FIXTURES / "real_layouts" / "gold"],
                         ids=["samples", "fixtures", "real-layouts"])
def test_own_corpus_scores(scored_out, gold_dir):
    """Our generated documents cover the variants the dev set does not; hold them high too."""
    s = _score(scored_out, gold_dir)
    print(json.dumps(s, indent=1))
    for table in TARGETS:
        assert s[table]["f1"] >= 0.9, (table, s[table])
