"""A self-contained HTML report of a store: the charts are inline SVG drawn here (no JavaScript, no
fonts or scripts from the network), so the page opens offline and can be mailed or archived as one
file. Data comes from the research views; drawing is pure functions of that data."""
from __future__ import annotations

import datetime as dt
import html
import math
import os
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from urllib.parse import quote

from models.version import PIPELINE_VERSION
from research.popolo import URL_RE, source_path
from research.views import connect

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
OTHER_COLOUR = "#cccccc"
PRESENT_COLOUR = "#59a14f"
ABSENT_COLOUR = "#e15759"
MAX_SERIES = 9                  # organs beyond the nine busiest are drawn together as "other"
CHART_WIDTH = 880
CHART_HEIGHT = 260
MARGIN = {"left": 44, "right": 12, "top": 12, "bottom": 40}
HBAR_ROW = 20                   # pixel height of one horizontal bar row
HBAR_LABEL = 340                # pixels reserved for the labels of horizontal bars (bilingual labels are long)
MAX_X_LABELS = 14
LEGEND_LONG_LABEL = 26          # legend labels longer than this get two columns, not three
TOP_PEOPLE = 25
MAX_TABLE_ROWS = 300
OTHER = "other"
AXIS_TITLE_SPACE = 16           # pixels left of the y ticks for the rotated y-axis title
# Finnish / English labels for the codes in the tables: a reader sees words, not identifiers
RESOLUTION_LABELS = {
    "approved": "hyväksytty / approved", "approved_after_vote": "hyväksytty äänestyksen jälkeen / approved after a vote",
    "amended": "muutettu / amended", "rejected": "hylätty / rejected", "noted": "merkitty tiedoksi / noted",
    "returned": "palautettu valmisteluun / returned", "tabled": "pantu pöydälle / tabled",
    "removed": "poistettu listalta / removed", "election": "valinta / election", "other": "muu / other",
    "": "luokittelematon / unclassified"}
DOC_TYPE_LABELS = {"poytakirja": "pöytäkirja / minutes", "muistio": "muistio / memo",
                   "esityslista": "esityslista / agenda", "other": "muu asiakirja / other document"}
UNKNOWN_ORGAN = "toimielin ei tiedossa / organ not identified"


class Html(str):
    """A table cell that is already HTML (a link), not text to escape."""


def resolution_label(code: str | None) -> str:
    return RESOLUTION_LABELS.get(code or "", code or RESOLUTION_LABELS[""])


def organ_label(organ: str | None) -> str:
    return organ or UNKNOWN_ORGAN


def file_link(file_name: str, source: str | None, base_dir: str | Path, store_dir: str | Path = ".") -> Html:
    """The file name as a link to the document: its URL, or its path relative to the report's folder
    (so the report and the documents can move together)."""
    if not source:
        return Html(_e(file_name))
    if URL_RE.match(source):
        href = source
    else:
        target = source_path(source, store_dir)
        try:
            href = quote(os.path.relpath(target, Path(base_dir).resolve()).replace(os.sep, "/"))
        except ValueError:             # another drive (Windows): an absolute file URI
            href = target.resolve().as_uri()
    return Html(f'<a href="{_e(href)}">{_e(file_name)}</a>')


@dataclass
class ReportData:
    store: str
    totals: dict[str, int] = field(default_factory=dict)
    per_month: list[tuple[str, str, int, int]] = field(default_factory=list)     # month, organ, meetings, decisions
    resolutions: list[tuple[str, int]] = field(default_factory=list)
    organ_attendance: list[tuple[str, int, int]] = field(default_factory=list)   # organ, attended, absent
    people: list[tuple] = field(default_factory=list)    # name, meetings, attended, absent, chaired, rate, organs
    meetings: list[tuple] = field(default_factory=list)  # date, organ, number, type, items, decisions, present, absent, file, source
    tabled: list[tuple] = field(default_factory=list)    # date, organ, item_no, title, file, source
    per_year: list[tuple] = field(default_factory=list)  # year, meetings, items, decisions, tabled, present, absent
    resolutions_per_year: list[tuple[str, str, int]] = field(default_factory=list)   # year, resolution, decisions


def load_report_data(store_dir: str | Path) -> ReportData:
    """Everything the report shows, counted over one copy per meeting (`primary_copy`)."""
    with closing(connect(store_dir)) as con:
        def one(sql: str) -> int:
            return int(con.execute(sql).fetchall()[0][0] or 0)
        totals = {
            "documents": one("SELECT count(*) FROM meetings"),
            "meetings": one("SELECT count(*) FROM meetings WHERE primary_copy"),
            "organs": one("SELECT count(DISTINCT organ) FROM meetings WHERE organ <> ''"),
            "agenda items": one("SELECT sum(items) FROM meetings WHERE primary_copy"),
            "decisions": one("SELECT sum(decisions) FROM meetings WHERE primary_copy"),
            "people": one("SELECT count(*) FROM people"),
            "failed documents": one("SELECT count(*) FROM documents WHERE status <> 'ok'"),
        }
        data = ReportData(store=str(store_dir), totals=totals)
        data.per_month = con.execute("""
            SELECT month, organ, count(*), sum(decisions)
            FROM meetings WHERE primary_copy AND month IS NOT NULL GROUP BY ALL ORDER BY 1, 2""").fetchall()
        data.resolutions = con.execute("""
            SELECT coalesce(resolution, ''), count(*) FROM decisions_full
            WHERE primary_copy AND stage = 'decision' GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall()
        data.organ_attendance = con.execute("""
            SELECT organ, sum(attended)::BIGINT, sum(absent)::BIGINT FROM attendance_by_organ
            WHERE organ <> '' GROUP BY organ ORDER BY organ""").fetchall()
        data.people = con.execute(f"""
            SELECT name, meetings, attended, absent, chaired, attendance_rate, organs FROM attendance_summary
            ORDER BY attended DESC, meetings DESC, name LIMIT {TOP_PEOPLE}""").fetchall()
        data.meetings = con.execute(f"""
            SELECT meeting_date, organ, meeting_number, doc_type, items, decisions, attendees_present,
                   attendees_absent, file_name, source FROM meetings WHERE primary_copy
            ORDER BY meeting_date DESC NULLS LAST, organ LIMIT {MAX_TABLE_ROWS}""").fetchall()
        data.tabled = con.execute(f"""
            SELECT meeting_date, organ, item_no, item_title, file_name, source FROM decisions_full
            WHERE primary_copy AND resolution = 'tabled' ORDER BY meeting_date, organ LIMIT {MAX_TABLE_ROWS}""").fetchall()
        data.per_year = con.execute("""
            SELECT m.year, count(*), sum(m.items)::BIGINT, sum(m.decisions)::BIGINT,
                   (SELECT count(*) FROM decisions_full x WHERE x.primary_copy AND x.year = m.year
                      AND x.stage = 'decision' AND x.resolution = 'tabled'),
                   sum(m.attendees_present)::BIGINT, sum(m.attendees_absent)::BIGINT
            FROM meetings m WHERE m.primary_copy AND m.year IS NOT NULL GROUP BY m.year ORDER BY m.year""").fetchall()
        data.resolutions_per_year = con.execute("""
            SELECT year::VARCHAR, coalesce(resolution, ''), count(*) FROM decisions_full
            WHERE primary_copy AND stage = 'decision' AND year IS NOT NULL GROUP BY ALL ORDER BY 1, 2""").fetchall()
    return data


def write_report(store_dir: str | Path, out_path: str | Path) -> Path:
    """Write the report (beside, then renamed into place) and return its path."""
    out = Path(out_path)
    page = render_report(load_report_data(store_dir), base_dir=out.resolve().parent)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out


# -- charts (pure) ---------------------------------------------------------------------------
def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def nice_max(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 1-2-5 steps, at most about five ticks."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    step = max(step, 1.0) if value >= 1 else step
    return math.ceil(value / step) * step, step


def month_range(first: str, last: str) -> list[str]:
    """Every month 'YYYY-MM' from first to last inclusive: gaps show as empty bars, not as nothing."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def top_series(rows: list[tuple[str, str, float]], limit: int = MAX_SERIES) -> list[str]:
    """Series names by total, the `limit` largest; the rest are drawn as OTHER."""
    totals: dict[str, float] = {}
    for _, name, v in rows:
        totals[name] = totals.get(name, 0) + v
    return sorted(totals, key=lambda n: (-totals[n], n))[:limit]


def _svg_open(chart_id: str, title: str, width: int, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{_e(chart_id)}" role="img" '
            f'aria-label="{_e(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<title>{_e(title)}</title>')


def _empty_svg(chart_id: str, title: str) -> str:
    return (_svg_open(chart_id, title, CHART_WIDTH, 60)
            + '<text x="10" y="35" class="empty">no data</text></svg>')


def _axis_titles(left: float, right: float, top: float, bottom: float, x_title: str, y_title: str) -> str:
    """Axis titles: x centred below the tick labels, y rotated along the left edge."""
    out = ""
    if x_title:
        out += (f'<text class="axis-title" data-axis="x" x="{(left + right) / 2:.1f}" y="{bottom + 32:.1f}" '
                f'text-anchor="middle">{_e(x_title)}</text>')
    if y_title:
        out += (f'<text class="axis-title" data-axis="y" x="{-(top + bottom) / 2:.1f}" y="12" '
                f'transform="rotate(-90)" text-anchor="middle">{_e(y_title)}</text>')
    return out


def stacked_bars_svg(chart_id: str, title: str, rows: list[tuple[str, str, float]],
                     names: list[str] | None = None, x_title: str = "month", y_title: str = "",
                     categories: list[str] | None = None) -> str:
    """Vertical bars per category (every month from the first to the last, unless `categories`
    are given), stacked by series. rows: (category, series, value); `names` fixes which series get
    their own colour (the same organs in the same colours across charts)."""
    if not rows:
        return _empty_svg(chart_id, title)
    cats = categories or month_range(min(r[0] for r in rows), max(r[0] for r in rows))
    names = list(names) if names is not None else top_series(rows)
    colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    values: dict[tuple[str, str], float] = {}
    for cat, name, v in rows:
        key = (cat, name if name in colour else OTHER)
        values[key] = values.get(key, 0) + v
    order = names + ([OTHER] if any(k[1] == OTHER for k in values) else [])
    colour[OTHER] = OTHER_COLOUR
    stack_max = max(sum(values.get((c, n), 0) for n in order) for c in cats)
    top, step = nice_max(stack_max)
    left, right, top_m, bottom = (MARGIN["left"] + AXIS_TITLE_SPACE, MARGIN["right"], MARGIN["top"],
                                  MARGIN["bottom"])
    columns = 2 if max(len(n) for n in order) > LEGEND_LONG_LABEL else 3
    legend_rows = math.ceil(len(order) / columns)
    height = CHART_HEIGHT + legend_rows * 18 + 8
    plot_w, plot_h = CHART_WIDTH - left - right, CHART_HEIGHT - top_m - bottom
    slot = plot_w / len(cats)
    bar_w = max(1.0, slot * 0.8)
    parts = [_svg_open(chart_id, title, CHART_WIDTH, height)]
    ticks = int(round(top / step))
    for i in range(ticks + 1):
        v = i * step
        y = top_m + plot_h - plot_h * v / top
        parts.append(f'<line class="grid" x1="{left}" x2="{CHART_WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    label_every = max(1, math.ceil(len(cats) / MAX_X_LABELS))
    for i, cat in enumerate(cats):
        x = left + i * slot + (slot - bar_w) / 2
        base = top_m + plot_h
        for name in order:
            v = values.get((cat, name), 0)
            if not v:
                continue
            h = plot_h * v / top
            base -= h
            parts.append(f'<rect class="bar" data-series="{_e(name)}" data-category="{_e(cat)}" data-value="{v:g}" '
                         f'x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour[name]}">'
                         f'<title>{_e(name)}, {_e(cat)}: {v:g}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text class="tick" x="{left + i * slot + slot / 2:.1f}" y="{top_m + plot_h + 16}" '
                         f'text-anchor="middle">{_e(cat)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{CHART_WIDTH - right}" y1="{top_m + plot_h}" '
                 f'y2="{top_m + plot_h}"/>')
    parts.append(_axis_titles(left, CHART_WIDTH - right, top_m, top_m + plot_h, x_title, y_title))
    col_w = (CHART_WIDTH - left) / columns
    for i, name in enumerate(order):
        lx = left + (i % columns) * col_w
        ly = CHART_HEIGHT + 6 + (i // columns) * 18
        parts.append(f'<g class="legend"><rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" '
                     f'fill="{colour[name]}"/><text x="{lx + 18:.1f}" y="{ly}">{_e(name)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def hbars_svg(chart_id: str, title: str, rows: list[tuple[str, list[float]]], series: list[tuple[str, str]],
              percent: bool = False, x_title: str = "", y_title: str = "") -> str:
    """Horizontal bars, one row per label, segments stacked left to right. rows: (label, [values per
    series]); series: (name, colour). With `percent` each row is drawn as shares of its total and
    labelled with the share and the counts behind it ("83% (5 / 6)")."""
    if not rows:
        return _empty_svg(chart_id, title)
    width, left, right = CHART_WIDTH, HBAR_LABEL, 110
    plot_bottom = MARGIN["top"] + HBAR_ROW * len(rows)
    height = plot_bottom + 44 + (22 if len(series) > 1 else 0)
    plot_w = width - left - right
    top = 1.0 if percent else nice_max(max(sum(v) for _, v in rows))[0]
    parts = [_svg_open(chart_id, title, width, height)]
    for i, (label, vals) in enumerate(rows):
        y = MARGIN["top"] + i * HBAR_ROW
        total = sum(vals)
        x = float(left)
        parts.append(f'<text class="label" x="{left - 8}" y="{y + HBAR_ROW * 0.65:.1f}" text-anchor="end">'
                     f'{_e(label)}</text>')
        for (name, colour), v in zip(series, vals):
            share = (v / total if total else 0) if percent else v / top
            w = plot_w * share
            if w <= 0:
                continue
            parts.append(f'<rect class="bar" data-series="{_e(name)}" data-category="{_e(label)}" '
                         f'data-value="{v:g}" x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{HBAR_ROW - 5}" '
                         f'fill="{colour}"><title>{_e(label)}, {_e(name)}: {v:g}</title></rect>')
            x += w
        shown = (f"{(vals[0] / total if total else 0):.0%} ({vals[0]:g} / {total:g})" if percent
                 else f"{total:g}")
        parts.append(f'<text class="value" x="{left + plot_w * (1 if percent else total / top) + 6:.1f}" '
                     f'y="{y + HBAR_ROW * 0.65:.1f}">{shown}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{plot_bottom}" y2="{plot_bottom}"/>')
    step = 0.5 if percent else nice_max(max(sum(v) for _, v in rows))[1]
    for v in [k * step for k in range(int(round(top / step)) + 1)]:
        parts.append(f'<text class="tick" x="{left + plot_w * v / top:.1f}" y="{plot_bottom + 14}" '
                     f'text-anchor="middle">{f"{v:.0%}" if percent else f"{v:g}"}</text>')
    parts.append(_axis_titles(left, left + plot_w, MARGIN["top"], plot_bottom, x_title, ""))
    if y_title:
        parts.append(f'<text class="axis-title" data-axis="y" x="4" y="{MARGIN["top"] - 2}">{_e(y_title)}</text>')
    if len(series) > 1:
        ly = height - 6
        for i, (name, colour) in enumerate(series):
            lx = left + i * 140
            parts.append(f'<g class="legend"><rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
                         f'<text x="{lx + 18}" y="{ly}">{_e(name)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def table_html(headers: list[str], rows: list[tuple], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    if not rows:
        return '<p class="empty">none</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>'
                                    f'{v if isinstance(v, Html) else _e(v)}</td>'
                                    for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;max-width:920px;color:#222}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:12px}.totals{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.totals div{background:#f4f6f8;border-radius:6px;padding:8px 12px}.totals b{display:block;font-size:20px}
svg.chart{display:block;margin:8px 0;max-width:100%;height:auto}
svg .tick,svg .legend text,svg .label,svg .value{font-size:11px;fill:#444}svg .grid{stroke:#eee}
svg .axis{stroke:#999}svg .empty{fill:#999}svg .axis-title{font-size:12px;fill:#222;font-weight:600}
table{border-collapse:collapse;font-size:12px;margin:8px 0;width:100%}
th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
td:first-child{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}p.empty{color:#999}
"""


def _rate(attended, absent) -> str:
    """'83% (5 / 6)': the share and the counts it comes from."""
    listed = (attended or 0) + (absent or 0)
    return f"{attended / listed:.0%} ({attended} / {listed})" if listed else "–"


def render_report(data: ReportData, base_dir: str | Path = ".") -> str:
    """The whole page as one HTML string; file links are relative to `base_dir` (the report's folder)."""
    monthly_meetings = [(m, organ_label(o), float(n)) for m, o, n, _ in data.per_month]
    monthly_decisions = [(m, organ_label(o), float(d or 0)) for m, o, _, d in data.per_month]
    organs = top_series(monthly_meetings + monthly_decisions)   # one colour per organ in both charts
    resolution_rows = [(resolution_label(r), [float(n)]) for r, n in data.resolutions]
    organ_rows = [(organ_label(o), [float(a), float(b)]) for o, a, b in data.organ_attendance if a or b]
    people_rows = [(p[0], [float(p[2]), float(p[3])]) for p in data.people]
    present_absent = [("present / läsnä", PRESENT_COLOUR), ("absent / poissa", ABSENT_COLOUR)]
    years = [str(y[0]) for y in data.per_year]
    years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)] if years else []
    by_resolution = [(y, resolution_label(r), float(n)) for y, r, n in data.resolutions_per_year]
    resolution_order = [resolution_label(r) for r, _ in data.resolutions]
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    totals = "".join(f"<div><b>{v}</b>{_e(k)}</div>" for k, v in data.totals.items())
    link = lambda name, source: file_link(name, source, base_dir, data.store)   # noqa: E731
    sections = [
        ("Meetings per month, by organ", stacked_bars_svg(
            "meetings-per-month", "Meetings per month by organ", monthly_meetings, organs,
            x_title="month / kuukausi", y_title="meetings / kokouksia")),
        ("Decisions per month, by organ", stacked_bars_svg(
            "decisions-per-month", "Decisions per month by organ", monthly_decisions, organs,
            x_title="month / kuukausi", y_title="decisions / päätöksiä")),
        ("Decisions by resolution, per year", stacked_bars_svg(
            "resolutions-per-year", "Decisions by resolution per year", by_resolution, resolution_order,
            x_title="year / vuosi", y_title="decisions / päätöksiä", categories=years)),
        ("Resolution mix of decisions", hbars_svg(
            "resolution-mix", "Decisions by resolution", resolution_rows, [("decisions", PALETTE[0])],
            x_title="decisions / päätöksiä", y_title="resolution / ratkaisu")),
        ("Attendance rate by organ", hbars_svg(
            "attendance-by-organ", "Share of listed members present, by organ", organ_rows, present_absent,
            percent=True, x_title="share of listed people present (present / listed)", y_title="organ / toimielin")),
        (f"Most frequent attendees (top {TOP_PEOPLE})", hbars_svg(
            "attendance-by-person", "Meetings attended and missed, by person", people_rows, present_absent,
            x_title="meetings / kokouksia", y_title="person / henkilö")),
    ]
    body = [f"<h1>Meeting documents: report</h1>"
            f'<p class="meta">store {_e(data.store)} · generated {generated} · minutes {PIPELINE_VERSION} · '
            f"counts use one document per meeting (minutes before agenda, PDF before DOCX)</p>"
            f'<div class="totals">{totals}</div>']
    body.append("<h2>Per year</h2>" + table_html(
        ["year", "meetings", "agenda items", "decisions", "tabled / pöydälle", "attendance (present / listed)"],
        [(y, n, i, d, t, _rate(p, a)) for y, n, i, d, t, p, a in data.per_year], {1, 2, 3, 4, 5}))
    for heading, svg in sections:
        body.append(f"<h2>{_e(heading)}</h2>{svg}")
    body.append("<h2>People</h2>" + table_html(
        ["name", "meetings", "attended", "absent", "chaired", "attendance (attended / listed)", "organs"],
        [(n, m, a, b, c, _rate(a, b), o) for n, m, a, b, c, _, o in data.people], {1, 2, 3, 4, 5}))
    body.append("<h2>Resolutions</h2>" + table_html(
        ["resolution", "decisions"], [(resolution_label(r), n) for r, n in data.resolutions], {1}))
    body.append("<h2>Tabled items (pantiin pöydälle)</h2>" + table_html(
        ["date", "organ", "§", "item", "file"],
        [(d, organ_label(o), no, t, link(f, src)) for d, o, no, t, f, src in data.tabled]))
    body.append("<h2>Meetings</h2>" + table_html(
        ["date", "organ", "number", "document", "items", "decisions", "present", "absent", "file"],
        [(d, organ_label(o), no, DOC_TYPE_LABELS.get(ty, ty), i, x, p, a, link(f, src))
         for d, o, no, ty, i, x, p, a, f, src in data.meetings], {4, 5, 6, 7}))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>minutes report</title><style>{CSS}</style></head><body>"
            + "".join(body) + "</body></html>\n")
