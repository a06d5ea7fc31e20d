"""Scan-like copies of a generated share: every PDF rasterised into an image-only PDF, with seeded
scanner damage, so the OCR path (readers/ocr.py) can be scored per table against unchanged gold.

    python -m synth.scanlike IN_DIR OUT_DIR [--seed N] [--level clean|light|mixed|heavy] [--dpi 200]
    python -m synth.scanlike OUT_DIR --report      # after synth.evaluate: F1 per document beside its damage

Per document one draw of: scan resolution, skew (rotation about the centre, white fill), paper
tone, an edge shadow, a rubber stamp in a margin ("SAAPUNUT" + a date, red or grey, partly over
the text), blur, gaussian noise and dark speckles, and the JPEG quality the pages are stored at.
`clean` only rasterises (a fixed dpi, near-lossless JPEG). The gold files are copied, stems kept,
so `python -m synth.evaluate OUT_DIR --formats pdf` scores the scans. Same seed, same bytes."""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CLEAN_DPI = 200
CLEAN_QUALITY = 95                 # JPEG quality of a clean scan: artefacts below what OCR notices
WHITE = 255
PDF_DATE = (2024, 1, 1, 0, 0, 0, 0, 1, 0)   # fixed creation date: Pillow would stamp the clock in, breaking same-seed-same-bytes

# ranges drawn per document, by level: (low, high); probabilities for the stamp and the shadow
LEVELS: dict[str, dict] = {
    "light": {"dpi": (240, 300), "angle": (0.3, 0.7), "noise": (2.0, 6.0), "speckle": (0.0, 0.0003),
              "blur": (0.0, 0.4), "quality": (60, 75), "paper": (240, 250), "stamp": 0.3, "shadow": 0.3},
    "mixed": {"dpi": (150, 300), "angle": (0.3, 2.0), "noise": (2.0, 14.0), "speckle": (0.0, 0.0015),
              "blur": (0.0, 0.9), "quality": (35, 75), "paper": (225, 250), "stamp": 0.5, "shadow": 0.5},
    "heavy": {"dpi": (150, 180), "angle": (1.2, 2.0), "noise": (10.0, 16.0), "speckle": (0.001, 0.002),
              "blur": (0.6, 1.0), "quality": (35, 45), "paper": (215, 235), "stamp": 0.8, "shadow": 0.8},
}
STAMP_WORDS = ("SAAPUNUT", "SAAPUNUT", "KIRJAATTU", "VASTAANOTETTU")
STAMP_ORGS = ("Kirjaamo", "Hallintopalvelut", "Kunnanvirasto", "Arkisto")
STAMP_COLOURS = ((190, 35, 40), (200, 50, 60), (110, 110, 110), (60, 70, 150))
STAMP_WIDTH_IN = (1.3, 1.9)        # stamp size on paper, inches
SHADOW_WIDTH = (0.015, 0.05)       # of the page width
SHADOW_DARK = (120, 190)           # grey level at the very edge


@dataclass(frozen=True)
class Damage:
    """One document's draw: everything a page's degradation needs, so a page is a pure function of it."""
    dpi: int
    angle: float = 0.0
    noise: float = 0.0
    speckle: float = 0.0
    blur: float = 0.0
    quality: int = CLEAN_QUALITY
    paper: int = WHITE
    stamp: dict | None = None      # page 0 only: shape, colour, words, position, tilt
    shadow: tuple[str, float, int] | None = None   # edge, width fraction, darkest grey
    seed: int = 0                  # for the pixel noise

    @property
    def clean(self) -> bool:
        return self == Damage(dpi=self.dpi, seed=self.seed)


def draw_damage(level: str, seed: int, stem: str, dpi: int = CLEAN_DPI) -> Damage:
    """The seeded draw for one document; the RNG is keyed by seed, level and stem only."""
    key = hashlib.sha256(f"{seed}|{level}|{stem}".encode()).digest()
    rng = random.Random(key)
    if level == "clean":
        return Damage(dpi=dpi, seed=int.from_bytes(key[:8], "big"))
    r = LEVELS[level]
    uni = lambda name: rng.uniform(*r[name])  # noqa: E731
    stamp = None
    if rng.random() < r["stamp"]:
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        stamp = {"shape": rng.choice(("circle", "rect")), "colour": rng.choice(STAMP_COLOURS),
                 "lines": [rng.choice(STAMP_WORDS), f"{day.day}.{day.month}.{day.year}", rng.choice(STAMP_ORGS)],
                 "width_in": rng.uniform(*STAMP_WIDTH_IN), "x": rng.uniform(0.55, 0.8), "y": rng.uniform(0.02, 0.12),
                 "tilt": rng.uniform(-18, 18), "alpha": rng.uniform(0.55, 0.9)}
    shadow = None
    if rng.random() < r["shadow"]:
        shadow = (rng.choice(("left", "right", "top", "bottom")), rng.uniform(*SHADOW_WIDTH), rng.randint(*SHADOW_DARK))
    return Damage(dpi=rng.randint(*r["dpi"]), angle=round(rng.choice((-1, 1)) * uni("angle"), 3),
                  noise=uni("noise"), speckle=uni("speckle"), blur=uni("blur"), quality=rng.randint(*r["quality"]),
                  paper=rng.randint(*r["paper"]), stamp=stamp, shadow=shadow, seed=int.from_bytes(key[:8], "big"))


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


def _stamp(page: Image.Image, st: dict, dpi: int) -> Image.Image:
    """A rubber stamp: outlined circle or rectangle with three lines of text, tilted, translucent ink."""
    w = int(st["width_in"] * dpi)
    h = w if st["shape"] == "circle" else int(w * 0.55)
    layer = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(layer)
    line = max(2, w // 45)
    if st["shape"] == "circle":
        d.ellipse((line, line, w - line, h - line), outline=255, width=line)
        d.ellipse((w * 0.09, h * 0.09, w * 0.91, h * 0.91), outline=255, width=max(1, line // 2))
    else:
        d.rectangle((line, line, w - line, h - line), outline=255, width=line)
    sizes = (int(h * 0.16), int(h * 0.17), int(h * 0.11))
    total = sum(sizes) * 1.25
    y = (h - total) / 2
    for text, size in zip(st["lines"], sizes):
        font = _font(size)
        tw = d.textlength(text, font=font)
        d.text(((w - tw) / 2, y), text, fill=255, font=font)
        y += size * 1.25
    layer = layer.rotate(st["tilt"], resample=Image.BICUBIC, expand=True)
    mask = layer.point(lambda v: int(v * st["alpha"]))
    ink = Image.new("RGB", layer.size, st["colour"])
    x, y0 = int(st["x"] * page.width), int(st["y"] * page.height)
    page.paste(ink, (min(x, page.width - layer.width), y0), mask)
    return page


def _shadow(arr: np.ndarray, shadow: tuple[str, float, int]) -> np.ndarray:
    """Darkens one page edge with a gradient, as a scanner lid that does not close does."""
    edge, frac, dark = shadow
    n = arr.shape[1] if edge in ("left", "right") else arr.shape[0]
    width = max(2, int(n * frac))
    ramp = np.linspace(dark / 255.0, 1.0, width) ** 0.6
    factor = np.ones(n)
    if edge in ("left", "top"):
        factor[:width] = ramp
    else:
        factor[-width:] = ramp[::-1]
    return arr * factor.reshape((1, n, 1) if edge in ("left", "right") else (n, 1, 1))


def degrade_page(image: Image.Image, dmg: Damage, page_no: int) -> Image.Image:
    """One rendered page (RGB at dmg.dpi) through the scanner: stamp, paper, shadow, skew, blur, noise."""
    if dmg.clean:
        return image.convert("L")
    page = image.convert("RGB")
    if dmg.stamp and page_no == 0:
        page = _stamp(page, dmg.stamp, dmg.dpi)
    arr = np.asarray(page, dtype=np.float32)
    arr = arr * (dmg.paper / 255.0)              # paper tone: white becomes light grey
    if dmg.shadow:
        arr = _shadow(arr, dmg.shadow)
    page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if dmg.angle:
        page = page.rotate(dmg.angle, resample=Image.BICUBIC, expand=False, fillcolor=(WHITE,) * 3)
    if dmg.blur:
        page = page.filter(ImageFilter.GaussianBlur(dmg.blur))
    rng = np.random.default_rng([dmg.seed, page_no])
    arr = np.asarray(page, dtype=np.float32)
    if dmg.noise:
        arr = arr + rng.normal(0.0, dmg.noise, arr.shape[:2])[..., None]
    if dmg.speckle:
        dots = rng.random(arr.shape[:2]) < dmg.speckle
        arr[dots] = rng.uniform(0, 90, int(dots.sum()))[:, None]
    page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return page if dmg.stamp and dmg.stamp["colour"][0] != dmg.stamp["colour"][2] else page.convert("L")


def render_pages(pdf: Path, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72.0).to_pil() for i in range(len(doc))]
    finally:
        doc.close()


def scan_pdf(pdf: Path, out: Path, dmg: Damage) -> Path:
    """An image-only PDF of `pdf` with `dmg` applied; pages stored as JPEG at dmg.quality."""
    pages = [degrade_page(im, dmg, i) for i, im in enumerate(render_pages(pdf, dmg.dpi))]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=float(dmg.dpi),
                  quality=dmg.quality, title=pdf.stem, creationDate=time.struct_time(PDF_DATE),
                  modDate=time.struct_time(PDF_DATE))
    out.write_bytes(buf.getvalue())
    return out


def scan_dir(src: Path, dst: Path, level: str = "mixed", seed: int = 0, dpi: int = CLEAN_DPI) -> dict[str, dict]:
    """Scans every PDF of a share into dst, copies the gold; returns each stem's damage (also in dst/damage.json)."""
    import json
    dst.mkdir(parents=True, exist_ok=True)
    if (src / "gold").is_dir():
        shutil.copytree(src / "gold", dst / "gold", dirs_exist_ok=True)
    drawn = {}
    for pdf in sorted(src.glob("*.pdf")):
        dmg = draw_damage(level, seed, pdf.stem, dpi)
        scan_pdf(pdf, dst / pdf.name, dmg)
        drawn[pdf.stem] = {k: v for k, v in asdict(dmg).items() if k != "seed"}
    (dst / "damage.json").write_text(json.dumps(drawn, indent=1, ensure_ascii=False), encoding="utf-8")
    return drawn


def damage_report(scans: Path) -> list[dict]:
    """Each scanned document's F1 per table (from the scorer over DIR/.eval/pdf, which
    `synth.evaluate DIR --formats pdf` leaves) beside the damage it was drawn; worst first."""
    import json
    from synth.evaluate import SCORED, run_scorer
    drawn = json.loads((scans / "damage.json").read_text(encoding="utf-8"))
    scored = run_scorer(scans / ".eval" / "pdf", scans / "gold")
    rows = []
    for key, r in scored["per_doc"].items():
        stem = key.split(":")[0]
        d = drawn.get(stem, {})
        row = {"stem": stem, "dpi": d.get("dpi"), "angle": d.get("angle"), "quality": d.get("quality"),
               "noise": round(d.get("noise", 0), 1), "blur": round(d.get("blur", 0), 2),
               "stamp": bool(d.get("stamp")), "shadow": bool(d.get("shadow"))}
        for t in SCORED:
            tp, fp, fn = r[t]
            row[t] = round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0
        rows.append(row)
    return sorted(rows, key=lambda row: sum(row[t] for t in SCORED))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m synth.scanlike", description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, help="a generated share (PDFs + gold/)")
    ap.add_argument("dst", type=Path, nargs="?", help="where the scans go (not with --report)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--level", choices=["clean", *LEVELS], default="mixed")
    ap.add_argument("--dpi", type=int, default=CLEAN_DPI, help="resolution of --level clean")
    ap.add_argument("--report", action="store_true", help="print F1 per document of an evaluated scan dir beside its damage")
    a = ap.parse_args(argv)
    if a.report:
        rows = damage_report(a.src)
        print(" ".join(f"{k:>12s}" if k != "stem" else f"{k:24s}" for k in rows[0]))
        for row in rows:
            print(" ".join(f"{row[k]!s:>12s}" if k != "stem" else f"{row[k]:24s}" for k in row))
        return
    if a.dst is None:
        ap.error("OUT_DIR is required unless --report")
    drawn = scan_dir(a.src, a.dst, a.level, a.seed, a.dpi)
    print(f"{len(drawn)} scans ({a.level}) in {a.dst}; gold copied; damage per stem in {a.dst / 'damage.json'}")


if __name__ == "__main__":
    main()
