"""The HTML report of a real store (samples/ through the real flow): self-contained, and its charts
are really drawn when headless Chromium renders the page. Chromium comes from Debian's `chromium`
package; without it the rendering tests are skipped."""
import re
import shutil
import subprocess
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from cli.main import build_parser, dispatch
from models.enums import DocType, Resolution
from research.report import (RESOLUTION_LABELS, ReportData, file_link, month_range, nice_max, render_report,
                             stacked_bars_svg, write_report)
from research.views import query

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHARTS = {"meetings-per-month", "decisions-per-month", "resolutions-per-year", "resolution-mix",
          "attendance-by-organ", "attendance-by-person"}
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="apt-get install chromium")


@pytest.fixture(scope="module")
def store(samples_store):
    return samples_store


@pytest.fixture(scope="module")
def report(store, tmp_path_factory):
    return write_report(store, tmp_path_factory.mktemp("report") / "report.html")


class Charts(HTMLParser):
    """The svg charts of a page, the bars (rects with data-value), axis titles and value labels inside
    each; the page's visible text, its tables (rows of cell texts) and the links in their cells;
    resources the page would load (src, stylesheet links)."""

    def __init__(self):
        super().__init__()
        self.bars: dict[str, list[dict]] = {}
        self.axes: dict[str, dict[str, str]] = {}
        self.values: dict[str, list[str]] = {}
        self.current: str | None = None
        self.external: list[str] = []
        self.scripts = 0
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.links: list[tuple[str, str]] = []           # (href, text)
        self._stack: list[tuple[str, dict]] = []
        self._href: str | None = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._stack.append((tag, a))
        if tag == "svg" and "data-chart" in a:
            self.current = a["data-chart"]
            self.bars[self.current], self.axes[self.current], self.values[self.current] = [], {}, []
        elif tag == "rect" and self.current and "data-value" in a:
            self.bars[self.current].append(a)
        if tag in ("script", "style", "title"):
            self._hidden += 1
            self.scripts += tag == "script"
        if a.get("src") or (tag == "link" and a.get("href")):
            self.external.append(a.get("src") or a["href"])
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.tables[-1][-1].append("")
        elif tag == "a":
            self._href = a.get("href")

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None
        if tag in ("script", "style", "title"):
            self._hidden -= 1
        if tag == "a":
            self._href = None
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._hidden or not data.strip():
            return
        self.text.append(data)
        tag, a = self._stack[-1] if self._stack else ("", {})
        if self.current and tag == "text" and a.get("class") == "axis-title":
            self.axes[self.current][a["data-axis"]] = data
        elif self.current and tag == "text" and a.get("class") == "value":
            self.values[self.current].append(data)
        if any(t in ("td", "th") for t, _ in self._stack) and self.tables:
            self.tables[-1][-1][-1] += data
        if self._href is not None:
            self.links.append((self._href, data))


def charts_of(html: str) -> Charts:
    c = Charts()
    c.feed(html)
    return c


def chromium(url: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    page = charts_of(html)
    assert page.scripts == 0 and page.external == []        # nothing to fetch: opens offline
    assert set(page.bars) == CHARTS
    assert "<table>" in html and "Perusturvalautakunta" in html


def table(page: Charts, first_header: str, header: str | None = None) -> list[list[str]]:
    return next(t for t in page.tables if t and t[0][0] == first_header and (header is None or header in t[0]))


def test_every_chart_has_titled_axes(report):
    page = charts_of(report.read_text(encoding="utf-8"))
    for chart in CHARTS:
        assert set(page.axes[chart]) == {"x", "y"}, chart
        assert all(len(t) > 3 for t in page.axes[chart].values()), chart
    assert page.axes["meetings-per-month"]["y"] == "meetings / kokouksia"
    assert page.axes["resolutions-per-year"]["x"] == "year / vuosi"


def test_labels_not_codes(report):
    """No resolution or document-type code is shown as text; their Finnish / English labels are."""
    page = charts_of(report.read_text(encoding="utf-8"))
    visible = " ".join(page.text)
    codes = {r.value for r in Resolution} | {t.value for t in DocType} | {"unclassified"}
    assert {t.strip() for t in page.text} & codes == set()          # no cell or label is a bare code
    assert "approved_after_vote" not in visible
    assert "(unknown)" not in visible
    assert RESOLUTION_LABELS["approved_after_vote"] in visible and "pöytäkirja / minutes" in visible
    legend = {b["data-series"] for b in page.bars["resolutions-per-year"]}
    assert RESOLUTION_LABELS["tabled"] in legend and "tabled" not in legend


def test_rates_show_their_counts(report, store):
    page = charts_of(report.read_text(encoding="utf-8"))
    shown = {v for v in page.values["attendance-by-organ"]}
    expected = query(store, "SELECT sum(attended), sum(attended) + sum(absent) FROM attendance_by_organ "
                            "WHERE organ <> '' GROUP BY organ")[1]
    assert {re.sub(r"^\d+% ", "", v) for v in shown} == {f"({a} / {n})" for a, n in expected}
    assert all(re.fullmatch(r"\d+% \(\d+ / \d+\)", v) for v in shown)
    people = table(page, "name", "attendance (attended / listed)")
    assert all(re.fullmatch(r"\d+% \(\d+ / \d+\)", row[5]) for row in people[1:])


def test_yearly_view(report, store):
    page = charts_of(report.read_text(encoding="utf-8"))
    years = table(page, "year")
    assert years[0][:4] == ["year", "meetings", "agenda items", "decisions"]
    by_year = {r[0]: r for r in years[1:]}
    assert set(by_year) == {"2017", "2018", "2019"}
    assert sum(int(r[1]) for r in by_year.values()) == 4
    decided = dict(query(store, "SELECT year::VARCHAR, count(*) FROM decisions_full WHERE primary_copy "
                                "AND stage = 'decision' GROUP BY year")[1])
    assert {y: int(r[3]) for y, r in by_year.items() if int(r[3])} == decided
    bars = page.bars["resolutions-per-year"]
    assert {b["data-category"] for b in bars} == set(decided)
    for year, n in decided.items():
        assert sum(float(b["data-value"]) for b in bars if b["data-category"] == year) == n


def test_file_names_link_to_the_documents(report, store):
    page = charts_of(report.read_text(encoding="utf-8"))
    meetings = table(page, "date", "decisions")
    files = [row[-1] for row in meetings[1:]]
    links = dict((text, href) for href, text in page.links)
    assert files and all(f in links for f in files)
    for f in files:
        target = (report.parent / unquote(links[f])).resolve()
        assert not links[f].startswith(("/", "file:")) and target.is_file() and target.name == f
    assert file_link("a.pdf", "https://kunta.example/a.pdf", "/tmp") == \
        '<a href="https://kunta.example/a.pdf">a.pdf</a>'


def test_report_counts_each_meeting_once(report, store):
    page = charts_of(report.read_text(encoding="utf-8"))
    meetings = sum(float(b["data-value"]) for b in page.bars["meetings-per-month"])
    assert meetings == query(store, "SELECT count(*) FROM meetings WHERE primary_copy")[1][0][0] == 4
    decisions = sum(float(b["data-value"]) for b in page.bars["decisions-per-month"])
    resolutions = sum(float(b["data-value"]) for b in page.bars["resolution-mix"])
    primary = query(store, "SELECT count(*) FROM decisions_full WHERE primary_copy AND stage = 'decision'")[1][0][0]
    assert decisions == resolutions == primary > 0
    assert {b["data-category"] for b in page.bars["meetings-per-month"]} == {"2017-09", "2018-03", "2019-04", "2019-05"}
    assert sum(float(b["data-value"]) for b in page.bars["resolutions-per-year"]) == primary


@needs_chromium
def test_report_renders_in_headless_chromium(report, tmp_path):
    res = chromium(report.as_uri(), tmp_path, "--dump-dom")
    assert res.returncode == 0, res.stderr[-2000:]
    page = charts_of(res.stdout)
    assert set(page.bars) == CHARTS
    for chart, bars in page.bars.items():
        assert bars and all(float(b["data-value"]) > 0 for b in bars), chart
        assert all(float(b["width"]) > 0 and float(b["height"]) > 0 for b in bars), chart


@needs_chromium
def test_report_screenshot_shows_the_charts(report, tmp_path):
    from PIL import Image
    shot = tmp_path / "report.png"
    res = chromium(report.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1000,2000",
                   "--hide-scrollbars")
    assert res.returncode == 0 and shot.exists(), res.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    colours = {c for _, c in img.getcolors(maxcolors=1 << 20)}
    assert (78, 121, 167) in colours or (89, 161, 79) in colours   # the palette's blue or green bars are painted
    assert len(colours) > 50


def test_report_command(store, tmp_path, capsys):
    p = build_parser()
    out = tmp_path / "r.html"
    assert dispatch(p.parse_args(["report", "--out", str(out), "--store", str(store)])) == 0
    assert out.exists() and str(out) in capsys.readouterr().out
    assert dispatch(p.parse_args(["report", "--out", str(out), "--store", str(tmp_path / "none")])) == 2


def test_chart_helpers():
    assert month_range("2018-11", "2019-02") == ["2018-11", "2018-12", "2019-01", "2019-02"]
    assert nice_max(7) == (8, 2) and nice_max(0) == (1.0, 1.0) and nice_max(140)[0] >= 140
    svg = stacked_bars_svg("x", "t", [("2019-01", "A", 2.0), ("2019-03", "B", 1.0)])
    assert svg.count('class="bar"') == 2 and 'data-category="2019-02"' not in svg and ">2019-02<" in svg
    assert "no data" in stacked_bars_svg("x", "t", [])
    empty = render_report(ReportData(store="empty"))
    assert empty.count("<svg") == len(CHARTS) and "no data" in empty
