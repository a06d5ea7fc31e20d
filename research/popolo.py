"""The store as Popolo JSON, shaped after the 6Aika open decision API."""
from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from contextlib import closing
from pathlib import Path

from models.version import PIPELINE_VERSION
from research.people import slug
from research.views import connect

# -- Popolo / 6Aika JSON -------------------------------------------------------------------
ORG_CLASSES = (("valtuusto", "council"), ("hallitus", "board"), ("lautakunta", "committee"),
               ("jaosto", "committee"), ("neuvosto", "council"), ("ryhmä", "working group"),
               ("toimikunta", "committee"), ("kokous", "assembly"))


def organization_id(organ: str) -> str:
    return f"organization/{slug(organ) or 'unknown'}"


def organization_class(organ: str) -> str:
    """'Perusturvalautakunta' -> 'committee', from the last word's ending."""
    last = (organ.split() or [""])[-1].lower()
    return next((c for suffix, c in ORG_CLASSES if last.endswith(suffix)), "other")


def _iso(date: str | None, time: str | None) -> str | None:
    if not date:
        return None
    return f"{date}T{time}" if time else date


def export_popolo(store_dir: str | Path, out_path: str | Path) -> dict[str, int]:
    """Organizations, persons, memberships, events (meetings, with attendees) and actions (agenda
    items, with their proposals and decisions as contents), shaped after Popolo and the 6Aika open
    decision API. Ids derive from doc_id, so they are stable across runs. Returns counts."""
    with closing(connect(store_dir)) as con:
        def rows(sql: str) -> list[dict]:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]
        meetings = rows("SELECT m.*, d.actual_start, d.actual_end, d.title FROM meetings m "
                        "JOIN documents d ON d.doc_id = m.doc_id ORDER BY meeting_date, organ, doc_id")
        people = rows("SELECT * FROM people ORDER BY person_id")
        attendance = rows("SELECT * FROM attendance_full ORDER BY doc_id, page, row_id")
        items = rows("SELECT a.* FROM agenda_items a JOIN meetings m ON m.doc_id = a.doc_id ORDER BY a.doc_id, a.seq")
        decisions = rows("SELECT x.* FROM decisions x JOIN meetings m ON m.doc_id = x.doc_id "
                         "ORDER BY x.doc_id, x.item_no, x.stage = 'decision', x.page, x.row_id")
        members = rows("""SELECT person_id, organ, min(meeting_date) AS start_date, max(meeting_date) AS end_date,
                                 string_agg(DISTINCT nullif(meeting_role, ''), '; ' ORDER BY nullif(meeting_role, ''))
                                     AS roles,
                                 count(DISTINCT meeting_key) AS meetings
                          FROM attendance_full WHERE organ <> '' GROUP BY person_id, organ
                          ORDER BY person_id, organ""")
    data = popolo_document(meetings, people, attendance, items, decisions, members)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, out)
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}


def _vote_event(x: dict) -> dict | None:
    """Popolo vote event counts (yes, no, blank, absent) when the decision records a vote."""
    counts = [{"option": o, "value": x[f"vote_{o}"]} for o in ("yes", "no", "blank", "absent")
              if x[f"vote_{o}"] is not None]
    return {"result": x["resolution"] or None, "counts": counts} if counts else None


def popolo_document(meetings: list[dict], people: list[dict], attendance: list[dict], items: list[dict],
                    decisions: list[dict], members: list[dict]) -> dict:
    """Pure: the Popolo / 6Aika JSON from rows of the views."""
    organs = sorted({m["organ"] for m in meetings if m["organ"]})
    organizations = [{"id": organization_id(o), "name": o, "classification": organization_class(o)} for o in organs]
    persons = [{"id": f"person/{p['person_id']}", "name": p["name"],
                "other_names": [{"name": v} for v in sorted(set((p["variants"] or "").split("; ")
                                                                 + (p["written_forms"] or "").split("; ")))
                                if v and v != p["name"]]} for p in people]
    memberships = [{"id": f"membership/{m['person_id']}/{slug(m['organ'])}", "person_id": f"person/{m['person_id']}",
                    "organization_id": organization_id(m["organ"]), "role": m["roles"] or "attendee",
                    "start_date": m["start_date"], "end_date": m["end_date"], "meetings": m["meetings"],
                    "note": "observed in attendance lists, not an official membership register"}
                   for m in members]
    attendees: dict[str, list[dict]] = defaultdict(list)
    for a in attendance:
        attendees[a["doc_id"]].append({
            "person_id": f"person/{a['person_id']}", "name": a["person_name"], "written": a["person_written"],
            "status": a["status"], "role": a["meeting_role"] or "attendee", "title": a["role"],
            "organisation": a["organisation"], "substitute_for": a["substitute_for"] or None,
            "remote": a["remote"] or None, "page": a["page"]})
    contents: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for x in decisions:
        contents[(x["doc_id"], x["item_no"])].append({
            "id": f"content/{x['row_id']}", "type": x["stage"], "ordering": len(contents[(x["doc_id"], x["item_no"])]) + 1,
            "text": x["text"], "resolution": x["resolution"] or None, "resolved_text": x["resolved_text"] or None,
            "page": x["page"], "vote_event": _vote_event(x)})
    events = [{
        "id": f"event/{m['doc_id']}", "name": " ".join(p for p in (m["organ"], m["meeting_number"]) if p),
        "classification": m["doc_type"], "organization_id": organization_id(m["organ"]) if m["organ"] else None,
        "start_date": _iso(m["meeting_date"], m["actual_start"] or m["start_time"]),
        "end_date": _iso(m["meeting_date"], m["actual_end"] or m["end_time"]),
        "location": m["place"] or None, "identifier": m["meeting_number"] or None,
        "meeting_key": m["meeting_key"], "primary_copy": m["primary_copy"],
        "attendees": attendees.get(m["doc_id"], []),
        "sources": [{"url": m["source"], "note": m["file_name"]}]} for m in meetings]
    actions = []
    for it in items:
        decided = contents.get((it["doc_id"], it["item_no"]), [])
        final = next((c for c in reversed(decided) if c["type"] == "decision"), None)
        actions.append({
            "id": f"action/{it['doc_id']}/{it['item_no']}", "event_id": f"event/{it['doc_id']}",
            "title": it["title"], "ordering": it["seq"], "article_number": it["item_no"],
            "resolution": final["resolution"] if final else None, "page": it["page"],
            "contents": decided})
    return {"meta": {"generator": "minutes", "pipeline_version": PIPELINE_VERSION,
                     "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "shape": "Popolo (popoloproject.com) as used by the 6Aika open decision API: "
                              "events are meetings (one per document), actions are agenda items, "
                              "contents are proposals and decisions"},
            "organizations": organizations, "persons": persons, "memberships": memberships,
            "events": events, "actions": actions}
