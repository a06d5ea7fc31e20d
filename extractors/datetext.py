"""Reading dates and times out of text, normalised to ISO; years inferred from the meeting date.
(The `dates` table itself is built in dates.py.)

Numeric Finnish forms (18.1.2017, 16.2, 1.7., 13.–14.3.2017) are matched by rules; month
names (24. toukokuuta 2016) go through dateparser with languages=["fi"]. Time ranges are split
here, never by dateparser. Weeks and months (viikolla 4, 6/2017) are periods, kept apart from
day-precision dates.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.vocabulary import MONTH_STEM_RE

TIME_RE = re.compile(
    r"(?:\b(?:klo|kello)\.?\s*)(?P<h1>\d{1,2})(?:[.:](?P<m1>\d{2}))?(?!\d)"
    r"(?:\s*(?:[-–—]|(?:\s|^)-)\s*(?:(?:klo\s*)?(?P<h2>\d{1,2})(?:[.:](?P<m2>\d{2}))?(?![\d.]\d))?)?",
    re.IGNORECASE)
BARE_TIME_RE = re.compile(r"^\s*\.?\s*(?P<h1>\d{1,2}):(?P<m1>\d{2})(?:\s*[-–—]\s*(?P<h2>\d{1,2}):(?P<m2>\d{2}))?")
# "to 15.8.2019 18.45": a dotted time right after a full date (never a date: no month 45)
DOTTED_TIME_RE = re.compile(r"^\s*(?P<h1>\d{1,2})\.(?P<m1>[0-5]\d)(?![.\d])(?:\s*[-–—]\s*(?P<h2>\d{1,2})\.(?P<m2>[0-5]\d)(?![.\d]))?")
LOST_DASH_RE = re.compile(r"\s+(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?![.:\d])")
RANGE_RE = re.compile(
    r"(?<![\d./])(?P<d1>\d{1,2})\.(?:(?P<mo1>\d{1,2})\.)?\s*[-–—]\s*(?P<d2>\d{1,2})\.(?P<mo2>\d{1,2})\.?(?P<y>\d{4})?(?![\d/])")
NUM_DATE_RE = re.compile(
    r"(?<![\d./,])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})(?:\.(?P<y>\d{4}|\d{2}(?![\d]))?)?(?!\d)(?!,\d)(?!\.\d)")
NAMED_DATE_RE = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s*(?:päivänä\s+)?(?P<mo>{MONTH_STEM_RE})(?:\s+(?P<y>\d{{4}}))?", re.I)
MONTH_YEAR_RE = re.compile(
    r"(?<![\d./])(?:(?P<m0>\d{1,2})\s*[-–]\s*)?(?P<m>\d{1,2})/(?P<y>\d{4})(?:\s*[-–]\s*(?P<m2>\d{1,2})/(?P<y2>\d{4}))?(?![\d/])")
WEEK_RE = re.compile(r"\b(?:viikolla|viikko|viikon|vko|vk)\.?\s*(?P<w>\d{1,2})(?:\s*[-–]\s*(?P<w2>\d{1,2}))?\b", re.I)
NOT_DATE_BEFORE_RE = re.compile(r"(versio|versiossa|v\.|luku|luvun|kohta|kohdan|liite|liitteen|§|nro|n:o|sivu|s\.)\s*$", re.I)
NOT_DATE_AFTER_RE = re.compile(r"^\s*(%|€|e\b|milj|mrd|m€|m2|km|kg|t\b|h\b|tuntia|prosent|euroa|kpl)", re.I)
DOC_NUMBER_BEFORE_RE = re.compile(r"(kokous|pöytäkirja|muistio|esityslista|nro|n:o|:)\s*$", re.I)
PERIOD_CONTEXT_RE = re.compile(r"(asti|saakka|alkaen|mennessä|lähtien|aikana|välillä|[-–])", re.I)
MAX_YEAR_GAP = 1              # a date without a year lies within a year of the meeting


@dataclass
class DateMention:
    text: str
    start: int                    # offset in the text
    date: str | None = None       # YYYY-MM-DD
    date_end: str | None = None
    time_start: str | None = None
    time_end: str | None = None
    precision: str = "day"        # day | week | month
    year_inferred: bool = False


def hhmm(h: str | None, m: str | None) -> str | None:
    if h is None:
        return None
    hi, mi = int(h), int(m or 0)
    if hi > 24 or mi > 59:
        return None
    return f"{hi:02d}:{mi:02d}"


def parse_times(text: str) -> tuple[str | None, str | None]:
    """First `klo 12.00 - 14.00` style expression in text: (start, end)."""
    m = TIME_RE.search(text)
    if not m:
        return None, None
    return hhmm(m.group("h1"), m.group("m1")), hhmm(m.group("h2"), m.group("m2"))


def _valid(y: int, mo: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def infer_year(d: int, mo: int, ref: dt.date | None) -> tuple[dt.date | None, bool]:
    """The occurrence of day.month nearest to the reference (meeting) date."""
    if ref is None:
        return None, True
    options = [x for y in range(ref.year - MAX_YEAR_GAP, ref.year + MAX_YEAR_GAP + 1) if (x := _valid(y, mo, d))]
    if not options:
        return None, True
    return min(options, key=lambda x: abs((x - ref).days)), True


def _year(y: str | None) -> int | None:
    if not y:
        return None
    yi = int(y)
    return yi + 2000 if yi < 100 and len(y) == 2 else yi


@lru_cache(maxsize=512)
def _dateparser_fi(text: str) -> dt.date | None:
    import dateparser
    got = dateparser.parse(text, languages=["fi"], settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return got.date() if got else None


def _time_after(text: str, end: int) -> tuple[str | None, str | None, int]:
    """A time expression right after a date ("28.2.2017 klo 17.00 – 20.30", "27.3.2017 15:00")."""
    tail = text[end:end + 60]
    m = re.match(r"^\s*[.,]?\s*(?:\(?\s*(?:ma|ti|ke|to|pe|la|su)\s+)?(?:alkaen\s+)?", tail)
    skip = m.end() if m else 0
    t = TIME_RE.match(tail, skip) or BARE_TIME_RE.match(tail) or DOTTED_TIME_RE.match(tail)
    if not t or int(t.group("h1")) > 23:
        return None, None, end
    start, stop = hhmm(t.group("h1"), t.group("m1")), hhmm(t.group("h2"), t.group("m2"))
    lost = LOST_DASH_RE.match(tail, t.end()) if t.group("m1") and not t.group("h2") else None
    if lost:                  # "klo 18:00 20:00": the dash of a range lost in export
        stop = hhmm(lost.group("h"), lost.group("m"))
        return start, stop, end + lost.end()
    return start, stop, end + t.end()


def find_dates(text: str, ref: dt.date | None = None, default_year: int | None = None) -> list[DateMention]:
    """Day-precision dates (with their times) and week/month periods mentioned in text."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add_day(m: re.Match, date: dt.date, inferred: bool) -> None:
        """One day, with a time or time range written after it ("18.1.2017 klo 12.00 - 14.00")."""
        ts, te, end = _time_after(text, m.end())
        out.append(DateMention(text[m.start():end].strip(), m.start(), date.isoformat(), None, ts, te, "day", inferred))
        taken.append((m.start(), end))

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def resolve(d: int, mo: int, y: int | None) -> tuple[dt.date | None, bool]:
        if y:
            return _valid(y, mo, d), False
        if ref is not None:
            return infer_year(d, mo, ref)
        if default_year:
            return _valid(default_year, mo, d), True
        return None, True

    for m in TIME_RE.finditer(text):            # times first: "klo 12.14" is never 12 January
        taken.append((m.start(), m.end()))
    for m in NAMED_DATE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        y = _year(m.group("y"))
        mo = next((i for i, stem in enumerate(
            ["tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"], 1)
            if m.group("mo").lower().startswith(stem)), None)
        if mo is None:
            continue
        if y:
            date = _dateparser_fi(m.group(0)) or _valid(y, mo, int(m.group("d")))
            inferred = False
        else:
            date, inferred = resolve(int(m.group("d")), mo, None)
        if date:
            add_day(m, date, inferred)
    for m in RANGE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        y = _year(m.group("y"))
        mo2 = int(m.group("mo2"))
        mo1 = int(m.group("mo1") or mo2)
        d2, dinf = resolve(int(m.group("d2")), mo2, y)
        d1 = _valid(d2.year if d2 else 0, mo1, int(m.group("d1"))) if d2 else None
        if d1 and d2 and d1 <= d2:
            ts, te, end = _time_after(text, m.end())
            out.append(DateMention(text[m.start():end].strip(), m.start(), d1.isoformat(), d2.isoformat(), ts, te, "day", dinf))
            if d2 != d1:         # "1.1.-28.2.2017" and "13.–14.3." both name two days
                out.append(DateMention(text[m.start():end].strip(), m.start() + 1, d2.isoformat(), None, None, None, "day", dinf))
            taken.append((m.start(), end))
    for m in NUM_DATE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 10]
        if NOT_DATE_BEFORE_RE.search(before) or NOT_DATE_AFTER_RE.match(after):
            continue
        d, mo = int(m.group("d")), int(m.group("mo"))
        if not (1 <= d <= 31 and 1 <= mo <= 12):
            continue
        date, inferred = resolve(d, mo, _year(m.group("y")))
        if date:
            add_day(m, date, inferred)
    for m in MONTH_YEAR_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        before, after = text[max(0, m.start() - 14):m.start()], text[m.end():m.end() + 12]
        if DOC_NUMBER_BEFORE_RE.search(before) and not m.group("m2"):
            continue
        ranged = m.group("m0") or m.group("m2")
        if not (ranged or PERIOD_CONTEXT_RE.search(after[:10]) or PERIOD_CONTEXT_RE.search(before[-4:])):
            continue
        mo, y = int(m.group("m")), int(m.group("y"))
        if not 1 <= mo <= 12:
            continue
        start_mo = int(m.group("m0")) if m.group("m0") else mo
        end = (int(m.group("m2")), int(m.group("y2"))) if m.group("m2") else (mo, y)
        if not (1 <= start_mo <= 12 and 1 <= end[0] <= 12):
            continue
        out.append(DateMention(m.group(0), m.start(), dt.date(y, start_mo, 1).isoformat(),
                               dt.date(end[1], end[0], 1).isoformat() if (end != (start_mo, y)) else None,
                               None, None, "month", False))
        taken.append((m.start(), m.end()))
    for m in WEEK_RE.finditer(text):
        year = (ref.year if ref else default_year)
        if not year:
            continue
        w = int(m.group("w"))
        if not 1 <= w <= 53:
            continue
        try:
            monday = dt.date.fromisocalendar(year, w, 1)
        except ValueError:
            continue
        w2 = int(m.group("w2")) if m.group("w2") else None
        end = None
        if w2 and w2 >= w:
            try:
                end = dt.date.fromisocalendar(year, w2, 7).isoformat()
            except ValueError:
                end = None
        out.append(DateMention(m.group(0), m.start(), monday.isoformat(), end, None, None, "week", True))
    out.sort(key=lambda x: x.start)
    return out


def first_full_date(text: str) -> dt.date | None:
    """The first date written with its year: the anchor for inferring other years."""
    for m in find_dates(text):
        if m.precision == "day" and not m.year_inferred and m.date:
            return dt.date.fromisoformat(m.date)
    return None
