"""What a `minutes-run` flow run shows in Prefect: a name that says what it processed, a
markdown artifact listing the failed documents, and with fail_on_error a Failed state (the
caller still gets the summary); without it a batch that ran is Completed."""
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterName
from prefect.client.schemas.sorting import FlowRunSort

from flows.run import run, run_flow
from models.settings import Settings
from runner.outcome import DocumentsFailed, run_name
from tests.conftest import FIXTURES


def _files(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    good = sorted(FIXTURES.glob("items_*.pdf"))[0]
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n| not | a pdf")
    return folder


def _last_run(name: str):
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name])),
                                     sort=FlowRunSort.START_TIME_DESC, limit=1)
        return runs[0], client


def test_run_name_says_what_the_run_processes(tmp_path):
    folder = _files(tmp_path)
    assert run_name([str(folder)]) == f"run {folder} (2 files)"
    assert run_name([str(folder / "broken.pdf")]) == f"run {folder / 'broken.pdf'} (1 file)"
    assert run_name(["a.pdf", "b.pdf", "c.pdf"]) == "run a.pdf, b.pdf and 1 more (3 files)"


def test_failed_documents_are_an_artifact_and_fail_on_error_fails_the_run(tmp_path, prefect_harness):
    folder = _files(tmp_path)
    name = run_name([str(folder)])
    summary = run([str(folder)], str(tmp_path / "out"), Settings(entities=False), workers=0, fail_on_error=True)
    assert summary.documents_ok == 1 and summary.documents_failed == 1
    flow_run, _ = _last_run(name)
    assert flow_run.state.is_failed()
    assert "1 of 2 document(s) failed" in flow_run.state.message and "broken.pdf" in flow_run.state.message
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["minutes-run-failed"])))
    mine = [a for a in artifacts if a.flow_run_id == flow_run.id]
    assert len(mine) == 1
    table = mine[0].data
    assert "| file | error_type | message |" in table and "broken.pdf" in table and "corrupt" in table
    assert "items_" not in table                       # only what failed

    # the same batch without fail_on_error: Completed, the failure still in its artifact
    again = run([str(folder)], str(tmp_path / "out2"), Settings(entities=False), workers=0)
    assert again.documents_failed == 1
    assert _last_run(name)[0].state.is_completed()

    # calling the flow itself with fail_on_error raises, with the summary at hand
    with pytest.raises(DocumentsFailed) as e:
        run_flow([str(folder)], str(tmp_path / "out3"), Settings(entities=False), fail_on_error=True)
    assert e.value.summary.documents_failed == 1 and "broken.pdf" in str(e.value)
