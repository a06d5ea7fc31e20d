"""Popolo export of a real store (samples/ through the real flow), validated with `jsonschema` against
the schemas in tests/schemas/popolo/. Those schemas are OUR encoding of the popolo-spec rules
(github.com/popolo-project/popolo-spec, schemas/*.json, draft-03: required fields, the date and
zoned-datetime patterns, the vote option and result code lists), written for these tests after
reading the spec; they are not the spec's files. Where they are stricter than the spec (ids required,
links absolute URIs, no per-meeting role on a membership) their descriptions say so. Id uniqueness
and references between objects are checked here in Python, which JSON Schema cannot express."""
import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from cli.main import build_parser, dispatch
from models.enums import MeetingRole
from research.popolo import (StoreRows, action_keys, event_id, export_popolo, local_datetime, popolo_document,
                             source_uri)
from research.views import query
from tests.conftest import ROOT, exported_json

SCHEMAS = ROOT / "tests" / "schemas" / "popolo"
SCHEMA_BASE = "https://minutes.invalid/schemas/popolo/"
PER_MEETING_ROLES = {r.value for r in MeetingRole} - {"member", "other"}


def validator() -> Draft3Validator:
    """Our schemas, resolved from memory only (nothing is fetched)."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)))
    return Draft3Validator({"$ref": SCHEMA_BASE + "document.json"}, registry=Registry().with_resources(resources))


def errors(doc: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(doc)]


@pytest.fixture(scope="module")
def store(samples_store):
    return samples_store


@pytest.fixture(scope="module")
def popolo(store, tmp_path_factory):
    return exported_json(export_popolo, store, tmp_path_factory.mktemp("popolo") / "popolo.json")


def one(store, sql):
    return query(store, sql)[1][0][0]


def test_export_validates_against_our_encoding_of_popolo(popolo):
    assert errors(popolo) == []
    assert popolo["motions"] and popolo["vote_events"] and popolo["events"][0]["attendees"]


def test_schemas_reject_what_the_first_export_wrote(popolo):
    """Each defect of the first export, put back into a valid document, fails validation."""
    event, membership, vote = popolo["events"][0], popolo["memberships"][0], popolo["vote_events"][0]
    defects = {
        "time without a zone": {"events": [dict(event, start_date="2017-09-12T17:00")]},
        "local path as a source": {"events": [dict(event, sources=[{"url": "samples/x.pdf", "note": "x"}])]},
        "per-meeting role on a membership": {"memberships": [dict(membership, role="chair")]},
        "attendee without an id": {"events": [dict(event, attendees=[{"name": "Sirpa Kaarlela"}])]},
        "vote option outside the code list": {"vote_events": [dict(vote, counts=[{"option": "jaa", "value": 7}])]},
        "count without a value": {"vote_events": [dict(vote, counts=[{"option": "yes"}])]},
        "no motions collection": {"motions": None},
    }
    for name, change in defects.items():
        broken = {k: v for k, v in {**popolo, **change}.items() if v is not None}
        assert errors(broken), name


def test_ids_are_unique_and_references_resolve(popolo):
    ids = [o["id"] for k in ("organizations", "persons", "memberships", "events", "actions", "motions",
                             "vote_events") for o in popolo[k]]
    ids += [c["id"] for a in popolo["actions"] for c in a["contents"]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for e in popolo["events"]:
        assert e["organization_id"] in known
        assert all(a["id"] in known and a["id"].startswith("person/") for a in e["attendees"])
    assert all(a["event_id"] in known for a in popolo["actions"])
    assert all(m["person_id"] in known and m["organization_id"] in known for m in popolo["memberships"])
    for v in popolo["vote_events"]:
        assert {v["motion_id"], v["legislative_session_id"], v["action_id"]} <= known
    linked = [c["vote_event_id"] for a in popolo["actions"] for c in a["contents"] if c["vote_event_id"]]
    assert sorted(linked) == sorted(v["id"] for v in popolo["vote_events"])


def test_one_event_per_meeting_with_every_copy_as_a_source(popolo, store):
    assert len(popolo["events"]) == one(store, "SELECT count(DISTINCT meeting_key) FROM meetings") == 4
    _, rows = query(store, "SELECT meeting_key, source FROM meetings")
    for e in popolo["events"]:
        copies = {Path(src).resolve().as_uri() for key, src in rows if event_id(key) == e["id"]}
        assert {s["url"] for s in e["sources"]} == copies and len(copies) == 2
        assert all(Path(unquote(urlparse(s["url"]).path)).is_file() for s in e["sources"])
        assert sum("primary copy" in s["note"] for s in e["sources"]) == 1


def test_attendees_are_the_people_present_with_their_meeting_role(popolo, store):
    event = next(e for e in popolo["events"] if e["id"] == "event/perusturvalautakunta-2017-09-12")
    present = {r[0] for r in query(store, "SELECT DISTINCT person_id FROM attendance_full WHERE status = 'present' "
                                          "AND meeting_key = 'perusturvalautakunta 2017-09-12'")[1]}
    assert {a["id"] for a in event["attendees"]} == {f"person/{p}" for p in present}
    assert len(event["attendees"]) == len(present) == 15                 # once each, not once per copy
    assert "person/heikki-kallioniemi" not in {a["id"] for a in event["attendees"]}   # listed, but absent
    assert "person/heikki-kallioniemi" in event["absent"]
    roles = {a["name"]: a["role"] for a in event["attendees"]}
    assert roles["Sirpa Kaarlela"] == "chair" and roles["Ville Kangas"] == "secretary"
    assert next(a for a in event["attendees"] if a["name"] == "Kaisu Leinonen")["note"] == \
        "varajäsen; substitute for Pekka Rämö"


def test_memberships_carry_no_meeting_roles(popolo):
    assert popolo["memberships"]
    assert all(m.get("role") not in PER_MEETING_ROLES | {"attendee"} for m in popolo["memberships"])
    chair = next(m for m in popolo["memberships"] if m["person_id"] == "person/sirpa-kaarlela")
    assert chair["start_date"] == chair["end_date"] == "2017-09-12"


def test_times_carry_the_helsinki_offset_of_their_date(popolo):
    starts = {e["id"]: (e["start_date"], e["end_date"]) for e in popolo["events"]}
    assert starts["event/perusturvalautakunta-2017-09-12"] == ("2017-09-12T17:00+03:00", "2017-09-12T19:45+03:00")
    assert starts["event/hyvinvointijohtoryhma-2018-03-14"][0] == "2018-03-14T09:05+02:00"   # winter time


def test_recorded_votes_become_motions_and_vote_events(popolo):
    assert len(popolo["vote_events"]) == len(popolo["motions"]) == 1
    vote, motion = popolo["vote_events"][0], popolo["motions"][0]
    assert vote["counts"] == [{"option": "yes", "value": 7}, {"option": "no", "value": 4}]
    assert vote["result"] == motion["result"] == "pass" and vote["motion_id"] == motion["id"]
    action = next(a for a in popolo["actions"] if a["id"] == vote["action_id"])
    assert action["title"].startswith("Kotihoidon asiakasmaksujen") and action["resolution"] == "approved_after_vote"
    assert motion["text"] == next(c["text"] for c in action["contents"] if c["type"] == "proposal")
    assert [c["type"] for c in action["contents"]] == ["proposal", "decision"]


def test_actions_are_the_primary_copies_items(popolo, store):
    assert len(popolo["actions"]) == one(store, "SELECT count(*) FROM agenda_items a JOIN meetings m "
                                                "ON m.doc_id = a.doc_id WHERE m.primary_copy")
    assert sum(len(a["contents"]) for a in popolo["actions"]) == one(
        store, "SELECT count(*) FROM decisions x JOIN meetings m ON m.doc_id = x.doc_id WHERE m.primary_copy")


def test_export_command_counts_meetings(store, tmp_path, capsys):
    out = tmp_path / "p.json"
    assert dispatch(build_parser().parse_args(["export", "--format", "popolo", "--out", str(out),
                                               "--store", str(store)])) == 0
    assert "4 events" in capsys.readouterr().out and errors(json.loads(out.read_text(encoding="utf-8"))) == []


# -- pure parts --------------------------------------------------------------------------------
def test_unnumbered_and_repeated_items_get_distinct_ids():
    items = [{"seq": 1, "item_no": ""}, {"seq": 2, "item_no": ""}, {"seq": 3, "item_no": "5"},
             {"seq": 4, "item_no": "6"}, {"seq": 5, "item_no": "6"}]
    keys = action_keys(items)
    assert keys == {1: "item-1", 2: "item-2", 3: "5", 4: "item-4", 5: "item-5"}


def test_local_datetime():
    assert local_datetime("2017-09-12", "17:00") == "2017-09-12T17:00+03:00"
    assert local_datetime("2018-01-02", "09:30") == "2018-01-02T09:30+02:00"
    assert local_datetime("2018-01-02", None) == "2018-01-02"
    assert local_datetime("2018-01-02", "25:99") == "2018-01-02"
    assert local_datetime(None, "10:00") is None


def test_sources_use_the_url_a_document_was_fetched_from(tmp_path):
    """A meeting whose minutes came from a feed: the http URL and the archived copy are its sources."""
    meeting = {"organ": "Kunnanhallitus", "meeting_date": "2020-02-03", "meeting_number": "2/2020",
               "doc_type": "poytakirja", "place": "", "start_time": "18:00", "end_time": None,
               "actual_start": None, "actual_end": None, "format": "pdf", "pages": 3, "year": 2020,
               "month": "2020-02", "items": 0, "decisions": 0, "attendees_present": 0, "attendees_absent": 0}
    rows = StoreRows(
        store_dir=str(tmp_path),
        meetings=[dict(meeting, doc_id="aa", meeting_key="kunnanhallitus 2020-02-03", primary_copy=True,
                       file_name="kh.pdf", source="https://kunta.example/kh.pdf"),
                  dict(meeting, doc_id="bb", meeting_key="kunnanhallitus 2020-02-03", primary_copy=False,
                       file_name="kh-agenda.pdf", source="/srv/inbox/kh-agenda.pdf", doc_type="esityslista")],
        sources=[{"doc_id": "aa", "source": "https://kunta.example/kh.pdf", "archived_as": "aa.pdf"}])
    doc = popolo_document(rows)
    assert [e["id"] for e in doc["events"]] == ["event/kunnanhallitus-2020-02-03"]
    urls = [s["url"] for s in doc["events"][0]["sources"]]
    assert urls == ["https://kunta.example/kh.pdf", (tmp_path / "archive" / "aa.pdf").resolve().as_uri(),
                    "file:///srv/inbox/kh-agenda.pdf"]
    assert doc["events"][0]["start_date"] == "2020-02-03T18:00+02:00"
    assert errors(doc) == []
    assert source_uri("samples/x ä.pdf", tmp_path) == (Path.cwd() / "samples" / "x ä.pdf").as_uri()
    assert source_uri("http://kunta.example/a%20b.pdf") == "http://kunta.example/a%20b.pdf"
