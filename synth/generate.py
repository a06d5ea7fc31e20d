"""Family registry, the tune/blind split of variation combinations, and writing a share to disk.

Each family declares its main variation axes. A document's combination key is the family plus its
axis values; combinations whose stable hash % 4 == 0 belong to the blind share only (tune draws
them away, blind draws only them), so the blind share measures layouts the tuner never saw."""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Callable

from synth import fam_assoc, fam_cover, fam_groups, fam_muni, fam_public, fam_web
from synth.render_docx import render_docx
from synth.render_pdf import render_pdf
from synth.spec import Spec

ORDERS = ["lf", "fl", "lcf"]
DECISIONS = ["short", "restate", "organ"]
# family -> (builder, {axis: choices})
FAMILIES: dict[str, tuple[Callable, dict]] = {
    "dynasty": (fam_muni.dynasty, {"att": ["table3", "lines"], "order": ["lf", "fl"], "decision": DECISIONS,
                                   "contents": ["none", "sivu", "asian_no", "kasitellyt"],
                                   "history": ["inline", "stack"]}),
    "tweb": (fam_muni.tweb, {"variant": ["pdf", "web"], "order": ORDERS, "decision": DECISIONS,
                             "contents": ["otsikko_liitteet", "liite_asia", "asian_no"], "cover_row": [False, True]}),
    "casem": (fam_muni.casem, {"order": ["fl", "lf"], "role_first": [False, True], "decision": DECISIONS,
                               "numbering": ["text", "auto"], "cloud": [False, True]}),
    "assoc": (fam_assoc.assoc, {"att": ["comma", "lines"], "roles": ["paren", "comma", "abbr"],
                                "numbering": ["dot", "pykala_after", "pykala_before", "bare"],
                                "decision": ["closing", "paatos_caption", "dash"]}),
    "agm": (fam_assoc.agm, {"doc": ["poytakirja", "poytakirja", "esityslista"], "kind": ["yhdistys", "yhtio"],
                            "att": ["sentences", "list"], "numbering": ["dot", "auto", "pykala"],
                            "header": ["plain", "hard"]}),
    "memo": (fam_assoc.memo, {"cols": ["org_name_marks", "name_org", "name_role_mark"],
                              "marks": ["plusminus", "x"], "decision": ["arrow", "bold", "plain"],
                              "order": ["fl", "role_fl"]}),
    "ahjo": (fam_public.ahjo, {"att": ["comma", "lines"], "decision": DECISIONS, "kasittely": [False, True],
                               "proposal": [False, True], "case": [False, True]}),
    "county": (fam_public.county, {"order": ["lf", "fl"], "para_no": [True, False], "numbered_proposal": [True, False],
                                 "dec_layout": ["own_line", "tab"]}),
    "parish": (fam_public.parish, {"att": ["xtable", "roles", "flat", "poissa_sij"], "order": ["lf", "fl"], "decision": DECISIONS,
                                   "same_line": [False, True]}),
    "agenda": (fam_public.agenda, {"order": ["lf", "fl", "lcf"], "captions": ["kutsutut", "jasenet", "osallistujat"],
                                   "numbering": ["pykala", "auto"], "header": ["two", "oneline"]}),
    "student": (fam_groups.student, {"roles": ["paren", "comma", "abbr"], "alliance_heads": [True, False],
                                     "numbering": ["dot", "pykala_before", "bare"], "decision": ["caption", "sentence"],
                                     "att": ["lines", "numbered_tab"]}),
    "housing": (fam_groups.housing, {"att": ["table", "lines", "comma", "klo_table"], "numbering": ["bare", "pykala_after", "dot"]}),
    # the hard variety of docs/layouts.md (F1-F17): see synth/hard.py, fam_cover.py, fam_web.py
    "cover": (fam_cover.cover, {"header": ["oneline", "twoline", "letterspaced"],
                                "att": ["cols", "numbered", "poissa_sij", "estynyt"],
                                "contents": ["asia_nro", "asianumero", "sivu", "otsikko_sivu", "liite_asia_sivu",
                                             "asia_liite_sivu", "lines"],
                                "heads": ["pyk_before", "pyk_after_caps", "bare_caps", "pyk_nospace", "pyk_after"],
                                "decision": ["tense", "caps_colon", "tab", "left_col", "own_line"]}),
    "classic": (fam_cover.classic, {"members": ["varsinainen_vara", "xmarks", "lines_lf"], "order_others": ["fl", "lcf"],
                                    "heads": ["pyk_after", "kh_abbr", "bare_caps", "pyk_caps_before"],
                                    "decision": ["tense", "own_line", "organ_paatti"]}),
    "prose": (fam_cover.prose, {"kind": ["kuntayhtyma", "yhteinen_kn", "ortodoksi"],
                                "att": ["jasenet_prose", "titles_first", "pj_prefix", "estynyt_varalla"],
                                "heads": ["bare_caps", "paren", "asia", "bare"], "decision": ["tense", "dash"]}),
    "council": (fam_cover.council, {"kind": ["valtuusto", "yhteinen_kn", "hospital", "yhtymakokous"],
                                    "att": ["long_table", "twocol", "poissa_sij", "numbered", "cols"],
                                    "contents": ["asia_liite_sivu", "liite_asia_sivu", "pykala_pdf", "none"],
                                    "twoday": [False, True], "swedish": [False, True]}),
    "itempage": (fam_web.itempage, {"variant": ["dynasty_web", "dynasty_txt", "cloudnc", "jsp", "ktweb_list"],
                                    "history": [True, False], "votes": [True, False]}),
    "mdweb": (fam_web.mdweb, {"variant": ["md_raw", "md_rendered", "county", "confluence"], "att": ["paren", "pj_prefix", "lines"],
                              "heads": ["pyk_nospace", "asia", "dot", "paren", "unnumbered"],
                              "decision": ["dash", "paatos_tab", "closing"]}),
}


# The families built from docs/layouts.md's hard variants are drawn twice as often as the old twelve
# (interleaved: old, hard, old, hard ...), so a share weighs like the real mix of municipal, parish,
# joint-authority and web-published minutes rather than like the easy hand-made ones.
HARD = ["cover", "classic", "prose", "council", "itempage", "mdweb"]


def default_order() -> list[str]:
    old = [f for f in FAMILIES if f not in HARD]
    out = []
    for i, f in enumerate(old):
        out += [f, HARD[i % len(HARD)]]
    return out


def combo_key(family: str, axes: dict) -> str:
    return family + "|" + "|".join(f"{k}={axes[k]}" for k in sorted(axes))


def is_blind(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 4 == 0


def draw_axes(r: random.Random, family: str, share: str) -> dict:
    """Axis values of one document: tune never gets a blind combination, blind gets only those."""
    choices = FAMILIES[family][1]
    for _ in range(2000):
        axes = {k: r.choice(v) for k, v in choices.items()}
        if is_blind(combo_key(family, axes)) == (share == "blind"):
            return axes
    raise RuntimeError(f"{family}: no {share} combination found")


def build_spec(share: str, index: int, family: str, seed: int) -> Spec:
    stem = f"{share}-{index:04d}-{family}"
    r = random.Random(f"{share}:{seed}:{index}:{family}")
    axes = draw_axes(r, family, share)
    return FAMILIES[family][0](r, stem, axes)


def generate(out: Path, share: str, count: int, seed: int = 0, families: list[str] | None = None,
             formats=("pdf", "docx")) -> list[dict]:
    """Writes OUT/<stem>.pdf, OUT/<stem>.docx and OUT/gold/<stem>.json; returns the gold dicts."""
    fams = families or default_order()
    out.mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    golds = []
    for i in range(count):
        fam = fams[i % len(fams)]
        spec = build_spec(share, i + 1, fam, seed)
        gold = spec.finish()
        if "pdf" in formats:
            render_pdf(spec, out / f"{spec.stem}.pdf")
        if "docx" in formats:
            render_docx(spec, out / f"{spec.stem}.docx")
        (out / "gold" / f"{spec.stem}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                                        encoding="utf-8")
        golds.append(gold)
    return golds
