"""The HTML report of a real store (samples/ through the real flow): self-contained, and its charts
are really drawn when headless Chromium renders the page. Chromium comes from Debian's `chromium`
package; without it the rendering tests are skipped."""
import argparse
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from flows.run import run_flow
from cli.main import build_parser, dispatch
from research.report import ReportData, month_range, nice_max, render_report, stacked_bars_svg, write_report
from research.views import query
from models.settings import Settings
from tests.conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHARTS = {"meetings-per-month", "decisions-per-month", "resolution-mix", "attendance-by-organ",
          "attendance-by-person"}
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="apt-get install chromium")


@pytest.fixture(scope="module")
def store(tmp_path_factory, prefect_harness):
    out = tmp_path_factory.mktemp("report-store")
    run_flow(paths=[str(SAMPLES)], out=str(out), settings=Settings(entities=False))
    return out


@pytest.fixture(scope="module")
def report(store, tmp_path_factory):
    return write_report(store, tmp_path_factory.mktemp("report") / "report.html")


class Charts(HTMLParser):
    """The svg charts of a page and the bars (rects with data-value) inside each."""

    def __init__(self):
        super().__init__()
        self.bars: dict[str, list[dict]] = {}
        self.current: str | None = None
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "data-chart" in a:
            self.current = a["data-chart"]
            self.bars[self.current] = []
        elif tag == "rect" and self.current and "data-value" in a:
            self.bars[self.current].append(a)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(a[key])

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None


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


def test_report_counts_each_meeting_once(report, store):
    page = charts_of(report.read_text(encoding="utf-8"))
    meetings = sum(float(b["data-value"]) for b in page.bars["meetings-per-month"])
    assert meetings == query(store, "SELECT count(*) FROM meetings WHERE primary_copy")[1][0][0] == 4
    decisions = sum(float(b["data-value"]) for b in page.bars["decisions-per-month"])
    resolutions = sum(float(b["data-value"]) for b in page.bars["resolution-mix"])
    primary = query(store, "SELECT count(*) FROM decisions_full WHERE primary_copy AND stage = 'decision'")[1][0][0]
    assert decisions == resolutions == primary > 0
    assert {b["data-category"] for b in page.bars["meetings-per-month"]} == {"2017-09", "2018-03", "2019-04", "2019-05"}


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
    res = chromium(report.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1000,1400",
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
