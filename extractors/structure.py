"""Split a document into preamble, agenda items (with sub-items) and closing section.

Agenda items, decisions, dates and entities all hang on this one segmentation, so an item
number means the same thing in every table.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from models.document import Document, Paragraph, Table
from extractors.contents import ContentsEntry, find_contents
from extractors.paragraphs import Para, Unit, cell_text, to_units
from extractors.people import find_people
from extractors.vocabulary import CLOSING_RE, MONTH_STEM_RE

# (scheme, pattern): group 1 is the number, group 2 the title (may be empty: title on next line)
ITEM_PATTERNS = [
    # Ahjo: "Asia 15. / 85 §", "Case 15. / 85 §": the running case number, then the §
    ("para", re.compile(r"^(?:[A-ZÅÄÖ][a-zåäö]+\s+)?\d{1,3}\.?\s*/\s*(\d{1,4})\s*§\s*(.*)$")),
    # "KH § 399 Tilinpäätös", "TEKLTK § 94 Title": an organ's abbreviation, the §, the title
    ("para", re.compile(r"^[A-ZÅÄÖ]{2,8}\.?\s*§\s*(\d{1,4})\s+([A-ZÅÄÖ].*)$")),
    ("para", re.compile(r"^§\s*(\d{1,4})\s*[.:]?(?:\s+(.*))?$")),
    ("para", re.compile(r"^(\d{1,4})\s*§\s*[.:]?(?:\s+(.*))?$")),
    ("word", re.compile(r"^(?:pykälä|asia|asiakohta|kohta)\s+(\d{1,3})\s*[.:]?(?:\s+(.*))?$", re.I)),
    # "Kunnanhallitus § 5", "Kaupunginhallitus § 12 18.01.2017": the organ before the § (Dynasty)
    ("para", re.compile(r"^[A-ZÅÄÖ][\wåäö-]+(?:\s+[\wåäö-]+){0,2},?\s+§\s*(\d{1,4})\b,?"
                        r"(?:\s+\d{1,2}\.\d{1,2}\.\d{2,4})?\s*()$")),
    # Dynasty's text export: "Tekninen lautakunta § 94 15.12.2020 KATUVALOJEN SANEERAUS"
    ("para", re.compile(r"^[A-ZÅÄÖ][\wåäö-]+(?:\s+[\wåäö-]+){0,2},?\s+§\s*(\d{1,4})\s+\d{1,2}\.\d{1,2}\.\d{2,4}"
                        r"\s+(\S.*)$")),
    ("organ", re.compile(r"^(?:kvalt|kval|kv|khall|kh|kn|ltk|tela|tekla|sivla|yjaos|hall|jory)\.?\s+(\d{1,4})\s*§?\s*[.:]?(?:\s+(.*))?$", re.I)),
    ("dot", re.compile(r"^(\d{1,3})\.(?:\s+(.*))?$")),
    ("paren", re.compile(r"^(\d{1,3})\)(?:\s+(.*))?$")),
    # "1 Kokouksen avaus": a bare number, common in hand-typed minutes; trusted only as a long run
    ("bare", re.compile(r"^(\d{1,3})\s+([A-ZÅÄÖ][^\d\s]*(?:\s.*)?)$")),
]
OCR_DOT_RE = re.compile(r"^(\d{1,3}),(?:\s+(.*))?$")    # tesseract reads "1." as "1," now and then
OCR_BARE_RE = re.compile(r"^([1-9]\d{0,2})\s+[\"'”]?([A-ZÅÄÖ][A-ZÅÄÖa-zåäö][^\d\s]*(?:\s.*)?)$")   # ... or drops the dot: "2 Kokouksen…"
# "Yhtymähallitus 18.08.2014 § 5": Dynasty heads an item whose matter has a history with the
# organ and date of this meeting, like the history lines of earlier handlings above it
DATED_HEAD_RE = re.compile(r"^(?P<organ>[A-ZÅÄÖ][\wåäö-]+(?:\s+[\wåäö-]+){0,2}),?\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4})"
                           r"\s*§\s*(?P<no>\d{1,4})\s*$")
ORGAN_HEAD_RE = re.compile(r"^([A-ZÅÄÖ][\wåäö-]+(?:\s+[\wåäö-]+){0,2}),?\s+§\s*\d{1,4}\s*$")
ABBREVIATED_HEAD_RE = re.compile(r"^[A-ZÅÄÖ][\wÅÄÖåäö-]*(?:\s+[\wÅÄÖåäö-]+){0,2}\s+§\s*\d{1,4}$")
DATE_ONLY_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\.?$")
NOT_A_TITLE_RE = re.compile(rf"^({MONTH_STEM_RE}|päivänä|klo\b)", re.I)
SUB_ITEM_RE = re.compile(r"^([a-zåäö])\)\s+(\S.*)$")
TOC_TAIL_RE = re.compile(r"(?:\s*\.{3,}\s*|\s+)(\d{1,4})$")
SCHEME_ORDER = ["para", "list", "organ", "word", "dot", "paren", "bare"]
MIN_RUN = {"bare": 3}         # runs shorter than this are no item sequence (default 2)
SAME_EDGE_PT = 6              # headings drawn alike start this close to each other
SAME_EDGE_OCR_PT = 15         # ... on a scan (a 1° skew moves a left edge ~15 pt down a page)
MAX_GAP = 3                   # a numbered run may skip a non-public item or two, in the same style
TOC_BODY_CHARS = 60          # a run of items with less text than this per item is a contents list
MAX_PARA_JUMP = 40            # § numbers may skip (non-public items) but not wildly


@dataclass
class SubItem:
    label: str
    title: str
    page: int


@dataclass
class Item:
    no: str                       # the number as meant (1, 2, 3 for a web export printing 1. 1. 1.)
    title: str
    page: int
    printed: str = ""             # the number as written
    head: Para | None = None
    units: list[Unit] = field(default_factory=list)
    sub_items: list[SubItem] = field(default_factory=list)

    def body_text(self) -> str:
        return "\n".join(_unit_text(u) for u in self.units if _unit_text(u))


@dataclass
class Structure:
    preamble: list[Unit]
    items: list[Item]
    closing: list[Unit]
    units: list[Unit]
    furniture: list[Paragraph] = field(default_factory=list)


def _unit_text(u: Unit) -> str:
    if isinstance(u, Table):
        return "\n".join(" | ".join(cell_text(c) for c in row) for row in u.rows)
    return f"{u.caption_text} {u.text}".strip() if u.caption_text else u.text


@dataclass
class _Cand:
    index: int
    scheme: str
    number: int
    title: str
    para: Para
    bold: bool


def _candidate(i: int, u: Unit, ocr: bool = False) -> _Cand | None:
    if not isinstance(u, Para) or u.caption or u.marked or u.bullet and not u.list_label:
        return None
    if ocr and (m := OCR_DOT_RE.match(u.text) or OCR_BARE_RE.match(u.text)) and m.group(2) and m.group(2)[0].isupper():
        return _Cand(i, "dot", int(m.group(1)), m.group(2).strip(), u, u.bold)
    if u.list_label and u.list_level <= 0:
        m = re.match(r"^(?:§\s*)?(\d{1,4})\s*[.)§]?$", u.list_label)
        if m:
            return _Cand(i, "list", int(m.group(1)), u.text, u, u.bold)
    for scheme, rx in ITEM_PATTERNS:
        m = rx.match(u.text)
        if not m:
            continue
        title = (m.group(2) or "").strip()
        if scheme in ("dot", "paren", "bare") and (not title or NOT_A_TITLE_RE.match(title)):
            if not title and u.bold:
                return _Cand(i, scheme, int(m.group(1)), "", u, u.bold)
            return None
        if title and not (title[0].isupper() or title[0].isdigit() or title[0] in "\"'”«("):
            return None       # "3. kokous oli 17.1" is prose, items start with a capital
        return _Cand(i, scheme, int(m.group(1)), title, u, u.bold)
    return None


def _chain(cands: list[_Cand], scheme: str, units: list[Unit], edge: float = SAME_EDGE_PT) -> list[list[_Cand]]:
    """Runs of plausibly consecutive item numbers. A restart at the first number opens a new run
    only when the run so far has no bodies (a table of contents followed by the items); otherwise
    it is a numbered list inside an item."""
    runs: list[list[_Cand]] = []
    for c in cands:
        if c.scheme != scheme:
            continue
        run = runs[-1] if runs else None
        if run is None:
            runs.append([c])
            continue
        last = run[-1].number
        if c.number == last + 1 or (scheme == "para" and last < c.number <= last + MAX_PARA_JUMP) \
                or (last + 1 < c.number <= last + MAX_GAP and _same_style(run[0], c, edge)):
            run.append(c)
        elif c.number == run[0].number and _toc_like(run, c, units):
            runs.append([c])
        elif scheme == "para" and c.number < last:
            runs.append([c])      # § numbers never repeat in one meeting: "444 §" on the attendance page
                                  # before "§ 441" starts a run of its own; the runs are compared later
    return runs


def _same_style(a: _Cand, b: _Cand, edge: float = SAME_EDGE_PT) -> bool:
    """Two item headings drawn alike: same weight, heading level and left edge (within `edge` pt)."""
    pa, pb = a.para, b.para
    return pa.bold == pb.bold and pa.heading == pb.heading and abs(pa.x0 - pb.x0) <= edge


def _toc_like(run: list[_Cand], nxt: _Cand, units: list[Unit]) -> bool:
    bounds = [c.index for c in run] + [nxt.index]
    body = sum(len(_unit_text(u)) for a, b in zip(bounds, bounds[1:]) for u in units[a + 1:b])
    return body / len(run) < TOC_BODY_CHARS


def _renumber_web_export(cands: list[_Cand]) -> list[_Cand] | None:
    """Web exports that print every item as "1." still mean 1, 2, 3 ..."""
    ones = [c for c in cands if c.scheme == "dot" and c.number == 1 and c.title]
    if len(ones) >= 3 and all(o.bold == ones[0].bold for o in ones) and \
            sum(1 for c in cands if c.scheme == "dot" and c.number != 1) <= len(ones) // 3:
        return ones
    return None


def _run_score(run: list[_Cand], units: list[Unit], bounds: list[int]) -> tuple[int, int]:
    """Text under a run's items, each item ending at the next candidate of any run."""
    body = 0
    for c in run:
        end = next((b for b in bounds if b > c.index), len(units))
        body += sum(len(_unit_text(u)) for u in units[c.index + 1:end])
    return (body, len(run))


def find_structure(doc: Document) -> Structure:
    units = to_units(doc)
    cands = [c for i, u in enumerate(units) if (c := _candidate(i, u, doc.ocr))]
    numbers = {c.number for c in cands}
    cands = sorted(cands + [c for c in _dated_heads(units) if c.number not in numbers], key=lambda c: c.index)
    cands = _without_earlier_handlings(cands, units)
    contents = find_contents(units)
    chosen = _choose_run(cands, units, listed={e.no for e in contents if e.no},
                         edge=SAME_EDGE_OCR_PT if doc.ocr else SAME_EDGE_PT)
    items: list[Item] = []
    start = len(units)
    for k, c in enumerate(chosen):
        end = chosen[k + 1].index if k + 1 < len(chosen) else len(units)
        body = units[c.index + 1:end]
        title = c.title
        while not title and body and isinstance(body[0], Para) and DATE_ONLY_RE.match(body[0].text):
            body = body[1:]           # Dynasty's "§ 3" / "26.06.2023" / title
        if not title and body and isinstance(body[0], Para) and (not body[0].caption or not body[0].text):
            title, body = (body[0].text or body[0].caption_text), body[1:]   # a title can be a caption word
        title = TOC_TAIL_RE.sub("", title) if _looks_toc(title) else title
        items.append(Item(no=str(c.number), title=title.strip(), page=c.para.page,
                          printed=c.para.list_label or str(c.number), head=c.para, units=list(body)))
        start = min(start, c.index)
    preamble = units[:start] if chosen else list(units)
    closing: list[Unit] = []
    if items:
        last = items[-1]
        for j, u in enumerate(last.units):
            if isinstance(u, Para) and (CLOSING_RE.match(u.text) or u.caption == "signatures"):
                closing = last.units[j:]
                last.units = last.units[:j]
                break
    items = _with_contents(items, contents)
    for it in items:
        it.sub_items = _sub_items(it)
    return Structure(preamble=preamble, items=items, closing=closing, units=units,
                     furniture=list(doc.furniture))


def _names_list(run: list[_Cand]) -> bool:
    """'1. Honkanen Vesa, puheenjohtaja', '2. Rautio Eeva, jäsen': a numbered attendance list."""
    titles = [c.title for c in run if c.title]
    named = sum(1 for t in titles if len(t.split()) <= 8 and (p := find_people(t, "sf")) and p[0].start == 0)
    return len(titles) >= 2 and named * 2 > len(titles)


def _without_earlier_handlings(cands: list[_Cand], units: list[Unit]) -> list[_Cand]:
    """Dynasty's item pages stack every handling as ORGAN / § N / date, the earlier ones first:
    a "§ N" over a date is this meeting's heading only with the date most such stacks carry."""
    def date_under(c: _Cand) -> tuple | None:
        nxt = units[c.index + 1] if c.index + 1 < len(units) else None
        if c.title or not isinstance(nxt, Para) or not DATE_ONLY_RE.match(nxt.text):
            return None
        return _day(nxt.text.strip().rstrip("."))
    dated = {id(c): d for c in cands if (d := date_under(c))}
    if len(dated) < 2:
        return cands
    common = Counter(dated.values()).most_common(1)[0][0]
    # with stacks, "ELILTK § 178" and "KH § 74" below them only repeat a handling's number
    return [c for c in cands if dated.get(id(c), common) == common and not
            (id(c) not in dated and not c.title and ABBREVIATED_HEAD_RE.match(c.para.text))]


def _dated_heads(units: list[Unit]) -> list[_Cand]:
    """The "Organ date § N" lines of this meeting: the date most of them carry (earlier handlings
    carry dates of their own, each seldom more than once). They head only items that have no
    heading of their own ("Kvalt 42 Title" followed by "Kvalt 26.3.2018 § 42")."""
    found = [(i, u, m) for i, u in enumerate(units) if isinstance(u, Para) and (m := DATED_HEAD_RE.match(u.text))]
    days = Counter(_day(m.group("date")) for _, _, m in found)
    ranked = days.most_common(2)
    common = ranked[0][0] if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]) else None
    # "Sivistyslautakunta § 7" heads the other items: its organ's dated line is this meeting's
    organs = {m.group(1).casefold() for u in units if isinstance(u, Para) and (m := ORGAN_HEAD_RE.match(u.text))}
    return [_Cand(i, "para", int(m.group("no")), "", u, u.bold) for i, u, m in found
            if _day(m.group("date")) == common or m.group("organ").casefold() in organs]


def _day(text: str) -> tuple[int, ...]:
    d, m, y = (int(x) for x in text.split("."))
    return d, m, y % 100


def _choose_run(cands: list[_Cand], units: list[Unit], listed: set[str] | None = None,
                edge: float = SAME_EDGE_PT) -> list[_Cand]:
    """The item headings: the first numbering scheme (in SCHEME_ORDER) with a plausible run, its
    run with most text under it. Bare numbers ("150 KOKOUKSEN AVAUS") count, where a contents
    table lists the items, only as the numbers it lists."""
    web = _renumber_web_export(cands)
    if web:
        for k, c in enumerate(web, start=1):
            c.number = k
        return web
    single: list[_Cand] = []
    for scheme in SCHEME_ORDER:
        need = MIN_RUN.get(scheme, 2)
        runs = [r for r in _chain(cands, scheme, units, edge) if (len(r) >= need or scheme in ("para", "list"))
                and not _names_list(r)]
        if scheme == "bare" and listed:
            runs = [r for r in runs if sum(str(c.number) in listed for c in r) * 2 > len(r)]
        if runs:
            bounds = sorted(c.index for r in runs for c in r)
            best = max(runs, key=lambda r: _run_score(r, units, bounds))
            if len(best) >= need:
                return best
            if (scheme == "para" or len(cands) == 1) and not single:
                single = best    # a one-§ extract, unless another scheme numbers a whole run
    return single


def _with_contents(items: list[Item], contents: list[ContentsEntry]) -> list[Item]:
    """A contents table is the item list when the body has no numbered items, and fills in the
    items the body's headings missed when both number the same items."""
    listed = [Item(no=e.no, title=e.title, page=e.page) for e in contents]
    if not items:
        return listed
    numbered = {e.no: e for e in listed if e.no.isdigit()}
    have = {it.no for it in items}
    if len(numbered) < 2 or len(have & numbered.keys()) * 2 < len(have):
        return items
    missing = [e for no, e in numbered.items() if no not in have]
    if not missing or not all(it.no.isdigit() for it in items):
        return items
    return sorted(items + missing, key=lambda it: int(it.no))


def _looks_toc(title: str) -> bool:
    return bool(re.search(r"\.{3,}\s*\d{1,4}$", title))


def _sub_items(item: Item) -> list[SubItem]:
    out: list[SubItem] = []
    expected = "a"
    for u in item.units:
        if not isinstance(u, Para):
            continue
        m = SUB_ITEM_RE.match(u.text)
        label = m.group(1) if m else (u.list_label.rstrip(")").rstrip(".") if re.match(r"^[a-z][).]$", u.list_label) else "")
        if label and label == expected:
            out.append(SubItem(label=label, title=(m.group(2) if m else u.text).strip(), page=u.page))
            expected = chr(ord(label) + 1)
    return out
