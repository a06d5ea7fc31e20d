"""The store shaped like the 6Aika open decision API (`minutes export --format 6aika`).

What the shape follows (read in 6aika/api-paatos `paatos.swagger.yaml` and City-of-Helsinki/paatos
`decisions/models/case.py`, `meeting.py`, the reference implementation; and City-of-Helsinki/openahjo
`ahjodoc/models.py`, its predecessor):
- a *case* (asia) is the matter decided, often over several meetings, identified by its register id
  (diaarinumero: openahjo's `Issue.register_id`, e.g. `HEL 2013-001234`) and classed by a *function*
  (tehtäväluokka: `function_id` such as `05.00.00` and its name, with a parent function);
- an *action* is one agenda item of one meeting: title, case, event, ordering, article_number (the §
  given after the decision), proposal_identifier, resolution, responsible_party, delegate post, date,
  its *contents* (type decision, proposal, ...; `hypertext` of P/H1/H2/table HTML) and its votes
  (Popolo vote events with counts);
- an *attachment* has a number, a name, a URL, public and a confidentiality reason;
- events are meetings whose attendees carry their role at the meeting.

The register id, function code and attachments are read from each item's title and text by the pure
functions below; a field our extraction does not have is null (`NULL_FIELDS` says which and why)."""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

from models.version import PIPELINE_VERSION
from research.people import slug
from research.popolo import (StoreRows, action_id, action_keys, event_id, load_store_rows, popolo_document,
                             write_json)

# HEL 2017-001234 (Helsinki's Ahjo)
HELSINKI_ID_RE = re.compile(r"\b(?P<id>[A-ZÅÄÖ]{2,6} (?P<year>(?:19|20)\d{2})-\d{4,7})\b")
# HIL/201/05.00.00/2017, OUKA/1472/02.02.02/2017, Dnro 123/02.05.00/2016: number, function code, year
FUNCTION_ID_RE = re.compile(r"(?<![\w/.])(?P<id>(?:[A-ZÅÄÖ]{2,8}/)?\d{1,6}/(?P<function>\d{2}(?:\.\d{2}){1,3})/"
                            r"(?P<year>(?:19|20)\d{2}))(?![\w/])")
# KH 244/2017 (an organ's abbreviation), Dnro 244/2017
SHORT_ID_RE = re.compile(r"(?:\b(?P<kw>D(?:nro|no|iaarinumero))\.?:?\s*)?(?:\b(?P<prefix>[A-ZÅÄÖ]{2,6}) )?"
                         r"(?<![\d/.])(?P<num>\d{1,6})/(?P<year>(?:19|20)\d{2})(?![\w/])")
# a function's name where the document prints it: "05.00.00 Sosiaalihuollon yleinen järjestäminen",
# "Tehtäväluokka: 02.02.01 Talousarvion seuranta"
FUNCTION_NAME_RE = re.compile(r"^(?:Tehtäväluokka:?\s*)?(?P<code>\d{2}(?:\.\d{2}){2,3})\.?\s+"
                              r"(?P<name>[A-ZÅÄÖ][^\n/]{2,100}?)\s*$", re.M)
ATTACHMENT_HEAD_RE = re.compile(r"^\s*(?:Liitteet|Liite)\b\.?:?\s*(?P<rest>.*)$")
ATTACHMENT_ITEM_RE = re.compile(r"^\s*(?:Liite\s+)?(?P<no>\d{1,2})[.):]?\s+(?P<name>\S.*)$")
ATTACHMENT_REF_RE = re.compile(r"\bliitteen\s+(?P<no>\d{1,2})\b", re.I)   # "liitteen 2 mukaisesti"
NUMBERED_RE = re.compile(r"^(?P<no>\d{1,2})[.):]?\s*(?P<name>.*)$")
NO_ATTACHMENTS = {"", "-", "–", "ei", "ei liitteitä"}
NULL_FIELDS = {
    "actions.proposal_identifier": "the item's identifier inside the city's own system is not printed",
    "actions.delegate_post": "delegated decisions (viranhaltijapäätökset) are not told apart",
    "functions.parent_id": "the function hierarchy is not printed in the documents",
    "functions.name": "null where the document prints only the code (inside the register id)",
    "attachments.url": "attachments are listed by name; their files are not fetched",
    "attachments.public": "publicity is not extracted",
    "cases.summary": "no summary is extracted",
    "contents.title": "contents have no titles of their own",
}


@dataclass(frozen=True)
class RegisterId:
    register_id: str                  # as printed, without the Dnro keyword
    function: str | None = None       # tehtäväluokka code inside it, e.g. 05.00.00
    year: int | None = None


@dataclass(frozen=True)
class Attachment:
    number: int | None
    name: str | None


# -- parsing (pure) ------------------------------------------------------------------------------
def find_register_ids(text: str) -> list[RegisterId]:
    """Diary numbers (diaarinumero) in order of appearance, each once: `HEL 2017-001234`,
    `HIL/201/05.00.00/2017`, `Dnro 123/02.05.00/2016`, `KH 244/2017`. A bare `12/2019` (a meeting
    number or a § range) is not one: the short form needs an organ abbreviation or `Dnro`."""
    found: list[tuple[int, int, RegisterId]] = []
    for m in HELSINKI_ID_RE.finditer(text):
        found.append((m.start(), m.end(), RegisterId(m["id"], None, int(m["year"]))))
    for m in FUNCTION_ID_RE.finditer(text):
        found.append((m.start(), m.end(), RegisterId(m["id"], m["function"], int(m["year"]))))
    for m in SHORT_ID_RE.finditer(text):
        if m["kw"] or m["prefix"]:
            rid = f"{m['prefix']} {m['num']}/{m['year']}" if m["prefix"] else f"{m['num']}/{m['year']}"
            found.append((m.start("num") if not m["prefix"] else m.start("prefix"), m.end(),
                          RegisterId(rid, None, int(m["year"]))))
    out, taken, seen = [], [], set()
    for start, end, rid in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if any(start < e and s < end for s, e in taken) or rid.register_id in seen:
            continue
        taken.append((start, end))
        seen.add(rid.register_id)
        out.append(rid)
    return out


def function_names(text: str) -> dict[str, str]:
    """Function codes printed with their names, one per line: {'05.00.00': 'Sosiaalihuollon ...'}."""
    return {m["code"]: m["name"].strip() for m in FUNCTION_NAME_RE.finditer(text)}


def find_attachments(text: str) -> list[Attachment]:
    """Attachments listed in an item: `Liite 2 Alaryhmätyöskentely`, `Liitteet Talousinfo ...`, or a
    `Liitteet` line followed by numbered lines (`1 Vertailutaulukko`, `2. Kartta`); then numbers only
    referred to in the text ("liitteen 2 mukaisesti"), without a name."""
    out: list[Attachment] = []
    listing = False
    for line in text.splitlines():
        if listing:
            m = ATTACHMENT_ITEM_RE.match(line)
            if m:
                out.append(Attachment(int(m["no"]), m["name"].strip()))
                continue
            listing = False
        head = ATTACHMENT_HEAD_RE.match(line)
        if not head:
            continue
        rest = head["rest"].strip()
        if rest.casefold() in NO_ATTACHMENTS:
            listing = rest == ""
            continue
        numbered = NUMBERED_RE.match(rest)
        if numbered and (numbered["name"] or "").strip() not in NO_ATTACHMENTS:
            out.append(Attachment(int(numbered["no"]), numbered["name"].strip() or None))
        elif numbered:
            out.append(Attachment(int(numbered["no"]), None))
        else:
            out.append(Attachment(None, rest))
        listing = True
    numbers = {a.number for a in out}
    for m in ATTACHMENT_REF_RE.finditer(text):
        if int(m["no"]) not in numbers:
            numbers.add(int(m["no"]))
            out.append(Attachment(int(m["no"]), None))
    return out


def hypertext(text: str | None) -> str | None:
    """Plain text as 6Aika's restricted HTML: one <p> per line, escaped."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return "".join(f"<p>{html.escape(ln, quote=False)}</p>" for ln in lines) or None


# -- building (pure) -----------------------------------------------------------------------------
def export_sixaika(store_dir: str | Path, out_path: str | Path) -> dict[str, int]:
    """Write the 6Aika-shaped JSON of a store; returns the number of objects per collection."""
    data = sixaika_document(load_store_rows(store_dir))
    write_json(data, out_path)
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}


def sixaika_document(rows: StoreRows) -> dict:
    """Pure: the 6Aika document, built on the Popolo one (same ids for events, actions, persons)."""
    popolo = popolo_document(rows)
    events = {e["id"]: e for e in popolo["events"]}
    key_of = {m["doc_id"]: m["meeting_key"] for m in rows.meetings}
    votes: dict[str, list[dict]] = {}
    for v in popolo["vote_events"]:
        votes.setdefault(v["action_id"], []).append(
            {k: v[k] for k in ("id", "organization_id", "legislative_session_id", "start_date", "result", "counts")})
    by_doc: dict[str, list[dict]] = {}
    for it in rows.items:
        by_doc.setdefault(it["doc_id"], []).append(it)
    item_of: dict[str, dict] = {}
    for doc_id, items in by_doc.items():
        eid = event_id(key_of[doc_id])
        for seq, key in action_keys(items).items():
            item_of[action_id(eid, key)] = next(it for it in items if it["seq"] == seq)
    functions: dict[str, dict] = {}
    cases: dict[str, dict] = {}
    attachments, actions = [], []
    for a in popolo["actions"]:
        item = item_of[a["id"]]
        event = events[a["event_id"]]
        text = f"{item['title']}\n{item['body'] or ''}"
        ids = find_register_ids(text)
        names = function_names(text)
        case_id = None
        if ids:
            rid = ids[0]
            case_id = f"case/{slug(rid.register_id)}"
            fid = None
            if rid.function:
                fid = f"function/{rid.function}"
                known = functions.setdefault(fid, {"id": fid, "function_id": rid.function, "name": None,
                                                   "parent_id": None})
                known["name"] = known["name"] or names.get(rid.function)
            case = cases.setdefault(case_id, {"id": case_id, "register_id": rid.register_id, "title": a["title"],
                                              "function_id": fid, "summary": None, "attachments": [],
                                              "actions": []})
            case["actions"].append(a["id"])
        action_attachments = []
        for n, att in enumerate(find_attachments(item["body"] or ""), 1):
            att_id = f"attachment/{a['id'].replace('action/', '', 1)}/{n}"
            attachments.append({"id": att_id, "action_id": a["id"], "case_id": case_id, "number": att.number,
                                "name": att.name, "url": None, "public": None, "confidentiality_reason": None})
            action_attachments.append(att_id)
            if case_id:
                cases[case_id]["attachments"].append(att_id)
        contents = [{"id": f"content/{a['id'].replace('action/', '', 1)}/text", "ordering": 0, "title": None,
                     "type": "presentation", "hypertext": hypertext(item["body"])}] if item["body"] else []
        contents += [{"id": c["id"], "ordering": c["ordering"], "title": None, "type": c["type"],
                      "hypertext": hypertext(c["text"]), "resolution": c["resolution"]} for c in a["contents"]]
        actions.append({"id": a["id"], "title": a["title"], "case": case_id, "event": a["event_id"],
                        "ordering": a["ordering"], "article_number": a["article_number"],
                        "proposal_identifier": None, "resolution": a["resolution"],
                        "responsible_party": event["organization_id"], "delegate_post": None,
                        "date": event["start_date"], "attachments": action_attachments, "contents": contents,
                        "votes": votes.get(a["id"], [])})
    meetings = [{"id": e["id"], "name": e["name"], "organization": e["organization_id"],
                 "start_date": e["start_date"], "end_date": e["end_date"], "location": e["location"],
                 "attendees": [{"person": p["id"], "name": p["name"], "role": p["role"]} for p in e["attendees"]],
                 "sources": e["sources"]} for e in popolo["events"]]
    return {"meta": {"generator": "minutes", "pipeline_version": PIPELINE_VERSION,
                     "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "shape": "6Aika open decision API (6aika/api-paatos, City-of-Helsinki/paatos): events are "
                              "meetings, cases are matters by register id, actions are agenda items with "
                              "contents, attachments and votes",
                     "null_fields": NULL_FIELDS},
            "organizations": [{k: o[k] for k in ("id", "name", "classification")} for o in popolo["organizations"]],
            "persons": [{"id": p["id"], "name": p["name"]} for p in popolo["persons"]],
            "events": meetings, "functions": sorted(functions.values(), key=lambda f: f["function_id"]),
            "cases": list(cases.values()), "actions": actions, "attachments": attachments}
