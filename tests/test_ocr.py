"""readers/ocr.py on scan-like pages (synth.scanlike): the page preparation before tesseract
(coloured ink dropped, skew undone, speckle and rulings removed) and what it brings back."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("pypdfium2")
from readers.ocr import estimate_skew, ocr_available, ocr_image, page_grey, prepare_image, remove_rules  # noqa: E402
from models.settings import Settings  # noqa: E402
from synth.scanlike import Damage, degrade_page, render_pages  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402

MINUTES = SAMPLES / "poytakirja_perusturvalautakunta_2017-09-12.pdf"
OCR_DPI = 300
# a mixed-level scan (synth.scanlike LEVELS["mixed"]): 170 dpi, 1.8° skew, blur, sensor noise, speckle
DAMAGED = Damage(dpi=170, angle=1.8, noise=12.0, speckle=0.0015, blur=0.8, paper=230, seed=7)


def _scanned(page_index: int, dmg: Damage):
    """One page of the sample minutes through the scanner, re-rendered at the OCR resolution the
    way a pdfplumber page of an image-only PDF is."""
    image = degrade_page(render_pages(MINUTES, dmg.dpi)[page_index], dmg, page_index)
    return image.resize((image.width * OCR_DPI // dmg.dpi, image.height * OCR_DPI // dmg.dpi))


@pytest.mark.parametrize("angle", [-1.9, -0.8, 0.6, 1.4, 2.5])
def test_skew_estimate_recovers_a_known_rotation(angle):
    image = _scanned(1, Damage(dpi=200, angle=angle, noise=8.0, blur=0.5, paper=235, seed=3))
    assert estimate_skew(page_grey(image)) == pytest.approx(angle, abs=0.3)


def test_straight_and_blank_pages_are_left_level():
    assert abs(estimate_skew(page_grey(_scanned(0, Damage(dpi=200))))) < 0.2
    blank = _scanned(0, Damage(dpi=200)).point(lambda _: 255)
    assert estimate_skew(page_grey(blank)) == 0.0


def test_prepared_page_keeps_its_size_so_positions_map_to_points():
    image = _scanned(1, DAMAGED)
    assert prepare_image(image).size == image.size


def test_coloured_stamp_ink_turns_light_black_print_stays():
    from PIL import Image
    image = Image.new("RGB", (40, 10), (255, 255, 255))
    image.paste((200, 50, 60), (0, 0, 20, 10))     # red stamp ink
    image.paste((20, 20, 20), (20, 0, 40, 10))      # black print
    grey = page_grey(image)
    assert grey[5, 5] >= 200 and grey[5, 30] <= 20


def test_rulings_go_dashes_and_letters_stay():
    import numpy as np
    grey = np.full((300, 600), 235, dtype=np.uint8)
    grey[100:103, 20:580] = 20        # a table ruling across the page
    grey[20:280, 300:303] = 20        # a column ruling
    grey[200:204, 40:90] = 20         # an em dash (50 px at 300 dpi)
    grey[150:190, 400:404] = 20       # the stem of a letter
    out = remove_rules(grey)
    assert out[101, 200] == 255 and out[50, 301] == 255
    assert out[202, 60] == 20 and out[170, 402] == 20


def _numbered_titles(paragraphs, titles):
    """The titles that stand on a line after an item number (however the § came out: '§ 2',
    '82', '2'); a heading whose number became a mark ('aa', '—') has lost its item."""
    found = set()
    for p in paragraphs:
        for t in titles:
            if t in p.text and re.match(r"^(?:§\s?)?\d{1,3}\.?\s*[:§]?\s*" + re.escape(t), p.text):
                found.add(t)
    return found


def test_preparation_brings_back_item_headings_of_a_damaged_page():
    """Page 2 of the sample minutes (§ 1-4) scanned skewed, blurred and noisy: straight from the
    render tesseract turns item numbers into marks ('aa Pöytäkirjantarkastajien valinta',
    '88 a Työjärjestyksen hyväksyminen'); after prepare_image every heading keeps a number."""
    if not ocr_available():
        pytest.skip("tesseract-ocr with Finnish is not installed (scripts/setup.sh --with-ocr)")
    titles = ["Kokouksen avaus", "Pöytäkirjantarkastajien valinta", "Työjärjestyksen hyväksyminen",
              "Talousarvion toteutuminen"]
    image = _scanned(1, DAMAGED)
    raw = _numbered_titles(ocr_image(image, 2, Settings()), titles)
    prepared = _numbered_titles(ocr_image(prepare_image(image), 2, Settings()), titles)
    assert prepared == set(titles)
    assert len(raw) < len(titles)


def test_a_bilevel_scan_is_not_median_filtered():
    """A 1-bit scan (thresholded by the scanner, common in archives) has no speckle for a median to
    remove, only thin strokes for it to eat: the real scanned record read 'MEE' for a caption and
    '0 U 0 m' for a line of text after the median. A greyscale scan still gets it."""
    from PIL import Image, ImageChops
    grey_scan = _scanned(1, Damage(dpi=200, noise=10.0, paper=230, seed=3))      # level: only the median differs
    bilevel = _scanned(1, Damage(dpi=200, paper=255, seed=3)).convert("L").point(lambda v: 255 if v > 128 else 0)
    assert ImageChops.difference(prepare_image(bilevel).convert("L"),
                                 Image.fromarray(remove_rules(page_grey(bilevel)))).getbbox() is None
    assert ImageChops.difference(prepare_image(grey_scan).convert("L"),
                                 Image.fromarray(remove_rules(page_grey(grey_scan)))).getbbox() is not None
