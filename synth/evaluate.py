"""Runs the pipeline's extractors over a generated share and scores it with the devset scorer.

    python -m synth.evaluate DIR [--formats pdf,docx] [--misses 10] [--json]

Writes the five scorer tables as CSV into DIR/.eval/<format>/ (one out dir per format, so PDF and
DOCX are scored separately), runs /work/shared/devset/score.py on each, and prints per-table P/R/F1,
meeting-field accuracy, F1 per table per family and, with --misses, the worst documents with the
gold rows they missed and the rows they invented."""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import importlib.util
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

SCORER = Path("/work/shared/devset/score.py")
TABLES = {"documents": ["doc_id", "file_name", "doc_type", "organ", "meeting_date", "start_time", "end_time", "place"],
          "attendance": ["doc_id", "person", "status"], "agenda_items": ["doc_id", "item_no", "title"],
          "decisions": ["doc_id", "item_no", "text", "stage"], "dates": ["doc_id", "date", "time_start", "time_end"]}
SCORED = ("attendance", "agenda_items", "decisions", "dates")


class ScorerMissing(RuntimeError):
    pass


def scorer_path() -> Path:
    if not SCORER.exists():
        raise ScorerMissing(f"the devset scorer {SCORER} is missing: cannot score synthetic shares")
    return SCORER


def _extract(path: str) -> dict:
    """One document through the pipeline (no NER); plain dict rows for the CSVs."""
    from runner.process import process_document
    from models.settings import Settings
    res = process_document(path, Settings(entities=False))
    doc = res.document
    out = {"documents": [{k: getattr(doc, k, "") or "" for k in TABLES["documents"]}]}
    out["documents"][0]["file_name"] = Path(path).name
    for t in SCORED:
        out[t] = [{k: (getattr(row, k, "") or "") for k in TABLES[t]} for row in res.tables.get(t, [])]
        for row in out[t]:
            row["doc_id"] = doc.doc_id
    if res.error is not None:
        out["error"] = f"{res.error.error_type}: {res.error.message}"[:200] if hasattr(res.error, "message") else str(res.error)[:200]
    return out


def extract_dir(src: Path, fmt: str, out: Path, workers: int = 2) -> dict[str, dict]:
    files = sorted(str(p) for p in src.glob(f"*.{fmt}"))
    results: dict[str, dict] = {}
    if workers > 1 and len(files) > 4:
        with cf.ProcessPoolExecutor(workers) as ex:
            for f, r in zip(files, ex.map(_extract, files, chunksize=4)):
                results[f] = r
    else:
        for f in files:
            results[f] = _extract(f)
    out.mkdir(parents=True, exist_ok=True)
    for t, cols in TABLES.items():
        with (out / f"{t}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols)
            w.writeheader()
            for r in results.values():
                w.writerows(r[t])
    return results


def run_scorer(out: Path, gold: Path) -> dict:
    p = subprocess.run([sys.executable, str(scorer_path()), str(out), str(gold), "--json"],
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def _family(stem: str) -> str:
    return stem.split("-", 2)[-1]


def per_family(scored: dict) -> dict[str, dict[str, float]]:
    acc: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    meta: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, r in scored["per_doc"].items():
        fam = _family(key.split(":")[0])
        for t in SCORED:
            for i in range(3):
                acc[fam][t][i] += r[t][i]
        meta[fam][0] += sum(r["meeting"].values())
        meta[fam][1] += len(r["meeting"])
    out = {}
    for fam in sorted(acc):
        row = {}
        for t, (tp, fp, fn) in acc[fam].items():
            row[t] = round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0
        row["meeting"] = round(meta[fam][0] / meta[fam][1], 3) if meta[fam][1] else 1.0
        out[fam] = row
    return out


def meeting_fields(scored: dict) -> dict[str, str]:
    """Accuracy per meeting field (organ, date, start_time, end_time, place, doc_type), with the families that miss it."""
    acc: dict[str, list] = defaultdict(lambda: [0, 0, defaultdict(int)])
    for key, r in scored["per_doc"].items():
        for f, ok in r["meeting"].items():
            acc[f][0] += ok
            acc[f][1] += 1
            if not ok:
                acc[f][2][_family(key.split(":")[0])] += 1
    return {f: f"{a[0] / a[1]:.3f}" + (f" (wrong in {dict(a[2])})" if a[2] else "") for f, a in sorted(acc.items())}


def _load_scorer():
    spec = importlib.util.spec_from_file_location("devset_score", scorer_path())
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def doc_misses(gold: dict, tables: dict, doc_id: str) -> dict[str, dict[str, list]]:
    """The scorer's own matching, returning the unmatched gold rows (missed) and predictions (false)."""
    s = _load_scorer()
    pick = lambda t: [r for r in tables[t] if str(r.get("doc_id")) == str(doc_id)]  # noqa: E731
    res = {}

    def unmatched(g, p, pairs, ok=lambda a, b: True):
        mg = {gi for gi, pi in pairs if ok(g[gi], p[pi]) or g[gi].get("optional")}
        mp = {pi for gi, pi in pairs if ok(g[gi], p[pi]) or g[gi].get("optional")}
        return ([x for i, x in enumerate(g) if i not in mg and not x.get("optional")],
                [x for i, x in enumerate(p) if i not in mp])
    ga, pa = gold.get("attendance", []), pick("attendance")
    pairs = s.greedy_match(ga, pa, s.name_score, 0.85)
    miss, false = unmatched(ga, pa, pairs, lambda g, p: s.norm(g.get("status")) == s.norm(p.get("status")))
    res["attendance"] = {"missed": [f"{g['person']} ({g['status']})" for g in miss],
                         "false": [f"{p['person']} ({p['status']})" for p in false]}
    gi, pi = gold.get("agenda_items", []), pick("agenda_items")
    pairs = s.greedy_match(gi, pi, lambda g, p: s.sim(g["title"], p.get("title")) + (
        0.5 if s.item_key(g["item_no"]) == s.item_key(p.get("item_no")) else 0.0), 0.85)
    miss, false = unmatched(gi, pi, pairs)
    res["agenda_items"] = {"missed": [f"{g['item_no']}: {g['title']}" for g in miss],
                           "false": [f"{p['item_no']}: {p['title']}" for p in false]}
    gd = gold.get("decisions", [])
    pd_ = [r for r in pick("decisions") if s.norm(r.get("stage")) != "proposal"]

    def dscore(g, p):
        a, b = s.norm(g["text"]), s.norm(p.get("text"))
        sc = 1.0 if a and b and (a in b or b in a) and min(len(a), len(b)) / max(len(a), len(b)) >= 0.25 else s.sim(a, b)
        if s.item_key(g.get("item_no")) == s.item_key(p.get("item_no")):
            return sc
        return sc - 0.25 if len(a) >= 40 else 0.0
    pairs = s.greedy_match(gd, pd_, dscore, 0.7)
    miss, false = unmatched(gd, pd_, pairs)
    res["decisions"] = {"missed": [f"{g['item_no']}: {g['text']}" for g in miss],
                        "false": [f"{p['item_no']}: {p['text']}" for p in false]}
    gt, pt = gold.get("dates", []), pick("dates")
    pairs = s.greedy_match(gt, pt, lambda g, p: 1.0 if str(p.get("date") or "")[:10] == g["date"] else 0.0, 1.0)
    miss, false = unmatched(gt, pt, pairs)
    res["dates"] = {"missed": [g["date"] for g in miss], "false": [str(p.get("date")) for p in false]}
    return res


def evaluate(src: Path, formats=("pdf", "docx"), workers: int = 2, misses: int = 0) -> dict:
    scorer_path()
    gold = src / "gold"
    report = {}
    for fmt in formats:
        out = src / ".eval" / fmt
        results = extract_dir(src, fmt, out, workers)
        scored = run_scorer(out, gold)
        rep = {"summary": scored["summary"], "families": per_family(scored), "meeting_fields": meeting_fields(scored),
               "errors": {Path(f).name: r["error"] for f, r in results.items() if r.get("error")}}
        if misses:
            s = _load_scorer()
            tables = {t: s.read_table(out, t) for t in TABLES}
            ranked = sorted(scored["per_doc"].items(), key=lambda kv: -sum(kv[1][t][1] + kv[1][t][2] for t in SCORED))
            rep["misses"] = {}
            for key, _ in ranked[:misses]:
                stem, doc_id = key.split(":", 1)
                g = json.loads((gold / f"{stem}.json").read_text(encoding="utf-8"))
                rep["misses"][f"{stem}.{fmt}"] = {"axes": g.get("axes"), **doc_misses(g, tables, doc_id)}
        report[fmt] = rep
    return report


def print_report(report: dict) -> None:
    for fmt, rep in report.items():
        s = rep["summary"]
        print(f"== {fmt}")
        for t in SCORED:
            print(f"  {t:13s} P={s[t]['precision']:.3f} R={s[t]['recall']:.3f} F1={s[t]['f1']:.3f} "
                  f"(tp={s[t]['tp']} fp={s[t]['fp']} fn={s[t]['fn']})")
        print(f"  meeting fields {s['meeting_fields_accuracy']}  date times {s['date_times_accuracy']}  mean F1 {s['mean_f1']}")
        for f, v in rep["meeting_fields"].items():
            print(f"    {f:10s} {v}")
        if rep["errors"]:
            print(f"  errors: {rep['errors']}")
        print(f"  {'family':10s} " + " ".join(f"{t[:10]:>10s}" for t in SCORED) + "    meeting")
        for fam, row in rep["families"].items():
            print(f"  {fam:10s} " + " ".join(f"{row.get(t, 1.0):10.3f}" for t in SCORED) + f" {row['meeting']:10.3f}")
        for doc, m in rep.get("misses", {}).items():
            print(f"  -- {doc} {m['axes']}")
            for t in SCORED:
                if m[t]["missed"] or m[t]["false"]:
                    print(f"     {t}: missed {m[t]['missed'][:6]}")
                    print(f"     {' ' * len(t)}  false  {m[t]['false'][:6]}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m synth.evaluate")
    ap.add_argument("dir", type=Path)
    ap.add_argument("--formats", default="pdf,docx")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--misses", type=int, nargs="?", const=10, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    rep = evaluate(a.dir, tuple(a.formats.split(",")), a.workers, a.misses)
    if a.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
    else:
        print_report(rep)


if __name__ == "__main__":
    main()
