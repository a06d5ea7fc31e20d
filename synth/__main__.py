"""python -m synth --out DIR --share tune|blind --count N [--seed S] [--families a,b]"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from synth.generate import FAMILIES, generate


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m synth", description="Synthetic meeting documents with exact gold")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--share", choices=["tune", "blind"], default="tune")
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--families", default="", help=f"comma list of: {', '.join(FAMILIES)}")
    ap.add_argument("--formats", default="pdf,docx")
    a = ap.parse_args(argv)
    fams = [f for f in a.families.split(",") if f] or None
    for f in fams or []:
        if f not in FAMILIES:
            ap.error(f"unknown family {f!r}")
    t = time.time()
    golds = generate(a.out, a.share, a.count, a.seed, fams, tuple(a.formats.split(",")))
    print(f"{len(golds)} documents ({a.formats}) in {a.out} in {time.time() - t:.1f} s; gold in {a.out / 'gold'}")


if __name__ == "__main__":
    main()
