"""Golden outputs of the samples: the whole extraction of each sample document, compared to
tests/golden/<file>.json. Regenerate after an intended change: UPDATE_GOLDEN=1 ./scripts/test.sh tests/test_golden.py"""
import dataclasses
import json

import pytest

from runner.process import process_document
from models.settings import Settings
from tests.conftest import GOLDEN, SAMPLES, UPDATE_GOLDEN

VOLATILE = {"doc_id", "source", "processed_at", "row_id", "source_text", "body"}
SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*.*") if p.suffix in (".pdf", ".docx"))


def _snapshot(result) -> dict:
    def clean(row):
        return {k: v for k, v in dataclasses.asdict(row).items() if k not in VOLATILE}
    return {"document": clean(result.document),
            "tables": {name: [clean(r) for r in rows] for name, rows in sorted(result.tables.items())
                       if name != "entities"}}


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_matches_golden(path):
    got = _snapshot(process_document(path, Settings(entities=False)))
    golden = GOLDEN / f"{path.name}.json"
    if UPDATE_GOLDEN or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"wrote missing golden {golden.name}; check it and commit it")
    assert got == json.loads(golden.read_text(encoding="utf-8"))
