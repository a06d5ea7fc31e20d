"""The store as Popolo JSON (popoloproject.com): organizations, persons, memberships, one event per
meeting, actions (agenda items) with their contents, and motions with vote events where a vote was
recorded. Loading reads the research views once (`load_store_rows`); building the document is a
pure function of those rows (`popolo_document`), shared with the 6Aika export (research/sixaika.py).

Shape decisions, each answering a way the first version failed Popolo's rules:
- one event per meeting (`meeting_key`), every copy (agenda, minutes, PDF, DOCX) one of its
  `sources`, as a file:// URI or the http(s) URL the document was fetched from;
- times carry the Europe/Helsinki offset of their date (Popolo's datetime pattern demands a zone);
- attendees are the people present; per-meeting roles (chair, secretary ...) sit on the attendee,
  never on the membership;
- ids are unique: an item's id is its § number when that is unique in its document, else its
  position."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from models.enums import AttendanceStatus, Resolution, Stage
from models.version import PIPELINE_VERSION
from research.people import slug
from research.views import connect

TIMEZONE = ZoneInfo("Europe/Helsinki")
ORG_CLASSES = (("valtuusto", "council"), ("hallitus", "board"), ("lautakunta", "committee"),
               ("jaosto", "committee"), ("neuvosto", "council"), ("ryhmä", "working group"),
               ("toimikunta", "committee"), ("kokous", "assembly"))
# Popolo's vote option code list (vote.md): tyhjää (a blank vote) is an abstention
VOTE_OPTIONS = (("vote_yes", "yes"), ("vote_no", "no"), ("vote_blank", "abstain"), ("vote_absent", "absent"))
# Popolo's vote event / motion result code list: pass, fail
RESULTS = {Resolution.APPROVED.value: "pass", Resolution.APPROVED_AFTER_VOTE.value: "pass",
           Resolution.AMENDED.value: "pass", Resolution.ELECTION.value: "pass", Resolution.REJECTED.value: "fail"}
URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
MEMBERSHIP_NOTE = "observed in attendance lists, not an official membership register"


# -- ids, times and links (pure) ---------------------------------------------------------------
def organization_id(organ: str) -> str:
    return f"organization/{slug(organ) or 'unknown'}"


def organization_class(organ: str) -> str:
    """'Perusturvalautakunta' -> 'committee', from the last word's ending."""
    last = (organ.split() or [""])[-1].lower()
    return next((c for suffix, c in ORG_CLASSES if last.endswith(suffix)), "other")


def event_id(meeting_key: str) -> str:
    """'perusturvalautakunta 2017-09-12' -> 'event/perusturvalautakunta-2017-09-12' (the doc_id when
    organ or date is unknown): the same id for every copy of the meeting and across runs."""
    return f"event/{slug(meeting_key) or 'unknown'}"


def action_keys(items: list[dict]) -> dict[int, str]:
    """Per item (by seq) of one document: its § number when unique in the document, else
    'item-<seq>', so unnumbered or repeated numbers never give two actions one id."""
    counts = Counter(it["item_no"] for it in items)
    return {it["seq"]: (slug(it["item_no"]) if it["item_no"] and counts[it["item_no"]] == 1
                        and slug(it["item_no"]) else f"item-{it['seq']}") for it in items}


def action_id(eid: str, key: str) -> str:
    """'event/kh-2017-09-12', '6' -> 'action/kh-2017-09-12/6'."""
    return f"action/{eid.replace('event/', '', 1)}/{key}"


def local_datetime(date: str | None, time: str | None) -> str | None:
    """'2017-09-12', '17:00' -> '2017-09-12T17:00+03:00' (the offset Helsinki had on that date);
    the date alone when the time is unknown or unreadable."""
    if not date:
        return None
    if not time:
        return date
    try:
        moment = dt.datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=TIMEZONE)
    except ValueError:
        return date
    return moment.isoformat(timespec="minutes")


def source_path(source: str, store_dir: str | Path = ".") -> Path:
    """The absolute path of a document read from disk: a relative path is taken from the working
    directory, or beside the store when the file is there."""
    path = Path(source)
    if not path.is_absolute():
        candidates = [Path.cwd() / path, Path(store_dir).resolve().parent / path]
        path = next((c for c in candidates if c.exists()), candidates[0])
    return path.resolve()


def source_uri(source: str, store_dir: str | Path = ".") -> str:
    """An absolute URI for where a document came from: URLs as they are, paths as file:// URIs."""
    return source if URL_RE.match(source) else source_path(source, store_dir).as_uri()


def vote_counts(decision: dict) -> list[dict]:
    return [{"option": option, "value": int(decision[col])} for col, option in VOTE_OPTIONS
            if decision.get(col) is not None]


def has_vote(decision: dict) -> bool:
    """A vote is recorded: the decision says so (approved_after_vote) or gives a count."""
    return decision.get("resolution") == Resolution.APPROVED_AFTER_VOTE.value or bool(vote_counts(decision))


# -- loading -----------------------------------------------------------------------------------
@dataclass
class StoreRows:
    """What the Popolo and 6Aika exports read from a store: every copy of every meeting, their
    sources, and the items and decisions of each meeting's primary copy."""
    store_dir: str
    meetings: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)


def load_store_rows(store_dir: str | Path) -> StoreRows:
    with closing(connect(store_dir)) as con:
        def rows(sql: str) -> list[dict]:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]
        return StoreRows(
            store_dir=str(store_dir),
            meetings=rows("SELECT m.*, d.actual_start, d.actual_end, d.format FROM meetings m "
                          "JOIN documents d ON d.doc_id = m.doc_id "
                          "ORDER BY m.meeting_date, m.organ, m.meeting_key, NOT m.primary_copy, m.doc_id"),
            sources=rows("SELECT doc_id, source, archived_as FROM sources ORDER BY doc_id, source"),
            people=rows("SELECT * FROM people ORDER BY person_id"),
            attendance=rows("SELECT * FROM attendance_full ORDER BY meeting_key, NOT primary_copy, doc_id, "
                            "page, row_id"),
            items=rows("SELECT a.* FROM agenda_items a JOIN meetings m ON m.doc_id = a.doc_id "
                       "WHERE m.primary_copy ORDER BY a.doc_id, a.seq"),
            decisions=rows("SELECT x.* FROM decisions x JOIN meetings m ON m.doc_id = x.doc_id "
                           "WHERE m.primary_copy ORDER BY x.doc_id, x.page, x.row_id"))


def write_json(data: dict, out_path: str | Path) -> None:
    """Written beside, then renamed into place: a reader never sees half a file."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, out)


def export_popolo(store_dir: str | Path, out_path: str | Path) -> dict[str, int]:
    """Write the Popolo JSON of a store; returns the number of objects per collection."""
    data = popolo_document(load_store_rows(store_dir))
    write_json(data, out_path)
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}


# -- building (pure) -----------------------------------------------------------------------------
def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def meeting_sources(copies: list[dict], sources: dict[str, list[dict]], store_dir: str) -> list[dict]:
    """Every copy of a meeting as Popolo links: each place a copy was seen (the sources table),
    the archived copy kept by `minutes ingest`, or the document's own source."""
    links, seen = [], set()
    for m in copies:
        what = f"{m['doc_type'] or 'document'} ({m['format'] or Path(m['file_name']).suffix.lstrip('.')}), " \
               f"{m['file_name']}{', primary copy' if m['primary_copy'] else ''}"
        found = sources.get(m["doc_id"]) or [{"source": m["source"], "archived_as": ""}]
        for s in found:
            for url, note in ((source_uri(s["source"], store_dir), what),
                              (source_uri(str(Path(store_dir) / "archive" / s["archived_as"]), store_dir)
                               if s.get("archived_as") else None, f"{what}, archived copy")):
                if url and url not in seen:
                    seen.add(url)
                    links.append({"url": url, "note": note})
    return links


def event_attendees(rows: list[dict]) -> list[dict]:
    """The people present at a meeting (present in any copy), once each, as Popolo persons; the
    role they had at this meeting (chair, secretary ...) and how they took part go on the attendee."""
    out: dict[str, dict] = {}
    for a in rows:
        if a["status"] != AttendanceStatus.PRESENT.value:
            continue
        pid = f"person/{a['person_id']}"
        entry = out.setdefault(pid, {"id": pid, "name": a["person_name"], "role": None, "note": None})
        if not entry["role"] and a["meeting_role"]:
            entry["role"] = a["meeting_role"]
        if not entry["note"]:
            note = "; ".join(p for p in (a["role"], a["organisation"],
                                         f"substitute for {a['substitute_for']}" if a["substitute_for"] else "",
                                         f"remote ({a['remote']})" if a["remote"] else "") if p)
            entry["note"] = note or None
    return list(out.values())


def build_actions(items: list[dict], decisions: list[dict], eid: str, org_id: str | None,
                  start: str | None, sources: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Actions of one meeting (its primary copy's items), their contents, and a motion and vote
    event for each decision with a recorded vote. Decisions of items whose § number repeats go to
    the last such item at or before their page."""
    keys = action_keys(items)
    by_no = _by(items, "item_no")
    contents: dict[int, list[dict]] = defaultdict(list)
    for x in decisions:
        candidates = by_no.get(x["item_no"]) or []
        if not candidates:
            continue
        item = next((it for it in reversed(candidates) if it["page"] <= x["page"]), candidates[0])
        contents[item["seq"]].append(x)
    actions, motions, vote_events = [], [], []
    for it in items:
        aid = action_id(eid, keys[it["seq"]])
        rows = sorted(contents.get(it["seq"], []), key=lambda x: (x["stage"] == Stage.DECISION.value, x["page"]))
        proposal = next((x["text"] for x in rows if x["stage"] == Stage.PROPOSAL.value), None)
        final = next((x for x in reversed(rows) if x["stage"] == Stage.DECISION.value), None)
        action_contents = []
        for n, x in enumerate(rows, 1):
            content = {"id": f"content/{x['row_id']}", "type": x["stage"], "ordering": n, "text": x["text"],
                       "resolution": x["resolution"] or None, "resolved_text": x["resolved_text"] or None,
                       "page": x["page"], "vote_event_id": None}
            if x["stage"] == Stage.DECISION.value and has_vote(x):
                result = RESULTS.get(x["resolution"])
                motion = {"id": f"motion/{x['row_id']}", "organization_id": org_id, "legislative_session_id": eid,
                          "action_id": aid, "classification": "proposal", "text": proposal or it["title"],
                          "date": start if start and "T" in start else None, "result": result,
                          "sources": sources}
                vote = {"id": f"vote-event/{x['row_id']}", "motion_id": motion["id"], "organization_id": org_id,
                        "legislative_session_id": eid, "action_id": aid,
                        "start_date": motion["date"], "result": result, "counts": vote_counts(x),
                        "note": x["text"], "sources": sources}
                motions.append(motion)
                vote_events.append(vote)
                content["vote_event_id"] = vote["id"]
            action_contents.append(content)
        actions.append({"id": aid, "event_id": eid, "title": it["title"], "ordering": it["seq"],
                        "article_number": it["item_no"] or None, "resolution": final["resolution"] or None
                        if final else None, "page": it["page"], "contents": action_contents})
    return actions, motions, vote_events


def popolo_document(rows: StoreRows) -> dict:
    """Pure: the Popolo document from the rows of a store."""
    organs = sorted({m["organ"] for m in rows.meetings if m["organ"]})
    organizations = [{"id": organization_id(o), "name": o, "classification": organization_class(o)} for o in organs]
    persons = []
    for p in rows.people:
        names = {v for v in (p["variants"] or "").split("; ") + (p["written_forms"] or "").split("; ")
                 if v and v != p["name"]}
        persons.append({"id": f"person/{p['person_id']}", "name": p["name"],
                        "other_names": [{"name": v} for v in sorted(names)]})
    memberships = []
    spans: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in rows.attendance:
        if a["organ"]:
            spans[(a["person_id"], a["organ"])].append(a["meeting_key"])
    dates = {m["meeting_key"]: m["meeting_date"] for m in rows.meetings}
    for (pid, organ), keys in sorted(spans.items()):
        seen = sorted(d for d in {dates.get(k) for k in keys} if d)
        memberships.append({"id": f"membership/{pid}/{slug(organ)}", "person_id": f"person/{pid}",
                            "organization_id": organization_id(organ),
                            "start_date": seen[0] if seen else None, "end_date": seen[-1] if seen else None,
                            "meetings": len(set(keys)), "note": MEMBERSHIP_NOTE})
    sources, attendance = _by(rows.sources, "doc_id"), _by(rows.attendance, "meeting_key")
    items, decisions = _by(rows.items, "doc_id"), _by(rows.decisions, "doc_id")
    events, actions, motions, vote_events = [], [], [], []
    for key, copies in _by(rows.meetings, "meeting_key").items():
        primary = next((m for m in copies if m["primary_copy"]), copies[0])
        eid = event_id(key)
        org_id = organization_id(primary["organ"]) if primary["organ"] else None
        start = local_datetime(primary["meeting_date"], next(
            (t for m in copies for t in (m["actual_start"], m["start_time"]) if t), None))
        end = local_datetime(primary["meeting_date"], next(
            (t for m in copies for t in (m["actual_end"], m["end_time"]) if t), None))
        links = meeting_sources(copies, sources, rows.store_dir)
        events.append({
            "id": eid, "name": " ".join(p for p in (primary["organ"], primary["meeting_number"]) if p)
            or primary["file_name"], "classification": "meeting", "organization_id": org_id,
            "start_date": start, "end_date": end if end and start and end >= start else None,
            "location": primary["place"] or None,
            "identifiers": [{"identifier": primary["meeting_number"], "scheme": "meeting number"}]
            if primary["meeting_number"] else [],
            "attendees": event_attendees(attendance.get(key, [])),
            "absent": sorted({f"person/{a['person_id']}" for a in attendance.get(key, [])}
                             - {f"person/{a['person_id']}" for a in attendance.get(key, [])
                                if a["status"] == AttendanceStatus.PRESENT.value}),
            "sources": links})
        a, mo, ve = build_actions(items.get(primary["doc_id"], []), decisions.get(primary["doc_id"], []),
                                  eid, org_id, start, links[:1])
        actions += a
        motions += mo
        vote_events += ve
    return {"meta": {"generator": "minutes", "pipeline_version": PIPELINE_VERSION,
                     "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "shape": "Popolo (popoloproject.com): events are meetings (one per meeting, every "
                              "document of it a source), actions are agenda items of the meeting's primary "
                              "copy with their proposals and decisions as contents; motions and vote_events "
                              "where a vote was recorded"},
            "organizations": organizations, "persons": persons, "memberships": memberships,
            "events": events, "actions": actions, "motions": motions, "vote_events": vote_events}
