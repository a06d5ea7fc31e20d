#!/usr/bin/env python3
"""Throughput, memory and orchestration cost of the pipeline against the loop a user would write.

    .venv/bin/python bench/make_corpus.py --n 200 --out bench/out/corpus      # once (cached)
    .venv/bin/python bench/run_bench.py --corpus bench/out/corpus              # naive, workers 1 and 2
    .venv/bin/python bench/run_bench.py --corpus bench/out/corpus --workers 2 --passes naive,flow
    .venv/bin/python bench/run_bench.py --corpus bench/out/corpus --flat       # RSS after 100 vs 1,000 docs
    .venv/bin/python bench/run_bench.py --corpus bench/out/corpus --profile 30 # cProfile of process_document
    .venv/bin/python bench/run_bench.py --corpus bench/out/corpus --repeat 2   # each pass twice, fastest kept
    .venv/bin/python bench/run_bench.py --report                               # reprint saved figures

Every measured pass runs in a fresh Python process (as a user's `minutes run` would), so model
loading, Prefect's ephemeral server start and memory are counted per pass and one pass cannot
warm the next. Inside each pass a thread samples the RSS of the whole process tree (the pass, its
Prefect server subprocess, its process-pool workers) every 50 ms with psutil.

Passes (--passes, default naive,flow,plain,rerun):
  naive   the loop a user would write: pdfplumber extract_text + extract_tables on every page (or
          python-docx paragraphs and tables), then spacy.load("spacy_fi_experimental_web_md") with
          every component on the whole text. Writes nothing.
  flow    flows.run.run(files, fresh out, workers=W, reprocess=True): the real pipeline, with its
          DuckDB store and Parquet/CSV exports. Stage timings are the DocumentResult.timings of the
          results the flow writes (store.database.Store.write_many, or write, is wrapped in the pass
          process only; no pipeline code is changed). Then a second run() of the unchanged archive
          in the same process ("re-run warm").
  plain   the same work without Prefect: discover, hash, process_document in W worker processes
          (forkserver, the model loaded once per worker), results written in the flow's
          WRITE_BATCH, export. Prefect orchestration overhead = flow wall - plain wall.
  rerun   a fresh process running run() on the archive `flow` left behind (re-run cold: includes
          Prefect start, as a user's second `minutes run` does).
  served  the flow pass with PREFECT_API_URL pointing at a `prefect server start` the script runs
          in the background (as a scheduled deployment runs): no server start in the pass; the
          server's CPU during the pass is counted. One unmeasured warm-up pass first.
  flat    (--flat) the corpus 5 times over (copies made distinct by rewriting the PDF /ID or the
          DOCX zip comment, so every copy has its own content hash) = 5 x N documents through the
          flow into a fresh store; peak RSS after 100, 200, ... documents.
  profile (--profile K) cProfile of process_document over the first K documents (model loaded and
          one document processed before profiling); top functions by own time and cumulative time.

Note: if OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set in your shell (some container images set
them), `unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE` before benchmarking: spaCy's numpy/BLAS then picks
the right kernels. This script never changes the environment.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"speedup_vs_naive": 2.0, "pages_per_s": 50.0, "peak_rss_mb": 1536.0, "orchestration_share": 0.10,
           "rerun_share": 0.05, "flat_growth": 1.10}


# ============================================================================== measuring
class TreeRSS:
    """Peak RSS of this process plus all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0            # bytes, sum over the tree
        self.peak_single = 0     # bytes, largest single process
        self.current = 0
        self.samples = 0
        self.cpu: dict[int, float] = {}    # pid -> CPU seconds last seen
        self.tags: dict[int, str] = {}
        self.peak_by_role: dict[str, int] = {}   # RSS per kind of process at the moment of the peak
        self._stop = threading.Event()
        try:
            import psutil
            self.psutil = psutil
            self.me = psutil.Process()
        except ImportError:   # fall back to getrusage at the end
            self.psutil = None
        self._t = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.psutil:
            self.sample()
            self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.psutil:
            self._t.join()
            self.sample()
        else:
            import resource
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            self.peak = own + kids        # an upper bound: the largest child, not their sum
            self.peak_single = max(own, kids)

    def sample(self) -> int:
        total, single = 0, 0
        by_role: dict[str, int] = {}
        try:
            procs = [self.me] + self.me.children(recursive=True)
        except self.psutil.Error:
            procs = [self.me]
        for p in procs:
            try:
                rss = p.memory_info().rss
                ct = p.cpu_times()
                if self.tags.get(p.pid, "other") == "other":     # a process just started may show no cmdline yet
                    self.tags[p.pid] = _tag(p, self.me.pid)
            except self.psutil.Error:
                continue
            total += rss
            single = max(single, rss)
            self.cpu[p.pid] = ct.user + ct.system
            by_role[self.tags[p.pid]] = by_role.get(self.tags[p.pid], 0) + rss
        self.current = total
        if total > self.peak:
            self.peak_by_role = by_role
        self.peak = max(self.peak, total)
        self.peak_single = max(self.peak_single, single)
        self.samples += 1
        return total

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds per kind of process in the tree (as last sampled)."""
        out: dict[str, float] = {}
        for pid, sec in self.cpu.items():
            tag = self.tags.get(pid, "other")
            out[tag] = round(out.get(tag, 0.0) + sec, 2)
        return out


def _tag(p, me: int) -> str:
    if p.pid == me:
        return "main"
    try:
        cmd = " ".join(p.cmdline())
    except Exception:
        return "other"
    if "prefect.server" in cmd or "uvicorn" in cmd:
        return "prefect_server"
    if "multiprocessing" in cmd or "spawn_main" in cmd:
        return "workers"
    return "other"


def manifest(corpus: Path) -> dict:
    m = corpus / ".manifest.json"
    if not m.exists():
        raise SystemExit(f"{corpus} has no .manifest.json: build it with bench/make_corpus.py --out {corpus}")
    return json.loads(m.read_text(encoding="utf-8"))


def corpus_files(corpus: Path, n: int | None) -> tuple[list[str], int]:
    files = manifest(corpus)["files"]
    if n is not None:
        if n > len(files):
            raise SystemExit(f"{corpus} holds {len(files)} documents, fewer than --n {n}: rebuild it with --n {n}")
        files = files[:n]
    return [str(corpus / f["file"]) for f in files], sum(f["pages"] for f in files)


def code_version() -> dict:
    """Which pipeline code a pass measured: git HEAD and a hash of the working tree's sources."""
    import hashlib
    h = hashlib.sha256()
    for d in ("models", "extractors", "readers", "store", "sources", "research", "runner", "flows", "cli"):
        for f in sorted((ROOT / d).glob("*.py")):
            h.update(f.name.encode() + f.read_bytes())
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head = ""
    return {"head": head, "sources": h.hexdigest()[:12]}


def _quiet_logs() -> None:
    import logging
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    logging.getLogger("minutes").setLevel(logging.ERROR)


# ============================================================================== passes (child side)
def pass_naive(a) -> dict:
    files, _ = corpus_files(Path(a.corpus), a.n)
    with TreeRSS() as mem:
        t0 = time.perf_counter()
        import docx
        import pdfplumber
        import spacy
        nlp = spacy.load("spacy_fi_experimental_web_md")
        t_load = time.perf_counter() - t0
        t_extract = t_nlp = 0.0
        ents = chars = 0
        for f in files:
            t1 = time.perf_counter()
            parts: list[str] = []
            if f.endswith(".pdf"):
                with pdfplumber.open(f) as pdf:
                    for page in pdf.pages:
                        parts.append(page.extract_text() or "")
                        for table in page.extract_tables():
                            parts += ["\t".join(c or "" for c in row) for row in table]
            else:
                d = docx.Document(f)
                parts += [p.text for p in d.paragraphs]
                for table in d.tables:
                    for row in table.rows:
                        parts.append("\t".join(c.text for c in row.cells))
            text = "\n".join(parts)
            t2 = time.perf_counter()
            doc = nlp(text)
            ents += len(doc.ents)
            chars += len(text)
            t3 = time.perf_counter()
            t_extract += t2 - t1
            t_nlp += t3 - t2
        wall = time.perf_counter() - t0
    return {"wall": wall, "startup": t_load, "stages": {"extract": t_extract, "spacy_all": t_nlp},
            "entities": ents, "chars": chars, "docs": len(files), "peak_rss": mem.peak, "cpu": mem.cpu_by_role(), "peak_by_role": mem.peak_by_role,
            "peak_rss_single": mem.peak_single, "components": list(nlp.pipe_names)}


class _Recorder:
    """Collects what the flow writes: stage timings, write times, RSS at each document written."""

    def __init__(self, mem: TreeRSS | None):
        self.mem = mem
        self.timings: dict[str, float] = {}
        self.write = 0.0
        self.export = 0.0
        self.docs = 0
        self.failed = 0
        self.body_start = None
        self.export_end = None
        self.first_write = None
        self.by_format: dict[str, dict[str, float]] = {}
        self.checkpoints: list[dict] = []   # every 100 documents: peak and current RSS so far

    def install(self):
        """Wraps store.database.Store's methods in place (this process only). Nothing the flow
        pickles for its workers refers to the wrappers: Store is pickled by reference."""
        from store.database import Store
        global _RECORDER
        _RECORDER = self
        if getattr(Store, "_bench_wrapped", False):
            return
        real_init, real_export = Store.__init__, Store.export
        real_write = Store.write_many              # write() delegates to write_many()

        def __init__(self, *args, **kw):
            rec = _RECORDER
            if rec.body_start is None:
                rec.body_start = time.perf_counter()   # the flow opens its store right after discover()
            real_init(self, *args, **kw)

        def record(results, seconds):
            rec = _RECORDER
            rec.write += seconds
            for result in results:
                for k, v in (getattr(result, "timings", None) or {}).items():
                    rec.timings[k] = rec.timings.get(k, 0.0) + v
                    by_fmt = rec.by_format.setdefault(result.document.format or "?", {})
                    by_fmt[k] = by_fmt.get(k, 0.0) + v
                rec.docs += 1
                rec.failed += 0 if result.ok else 1
                if rec.mem and rec.docs % 100 == 0:
                    rec.mem.sample()
                    rec.checkpoints.append({"docs": rec.docs, "peak_rss": rec.mem.peak, "rss": rec.mem.current})

        def write(self, first, *args, **kw):
            t = time.perf_counter()
            if _RECORDER.first_write is None:
                _RECORDER.first_write = t
            real_write(self, first, *args, **kw)
            results = [item.result for item in first]
            record(results, time.perf_counter() - t)

        def export(self, *args, **kw):
            rec = _RECORDER
            t = time.perf_counter()
            try:
                return real_export(self, *args, **kw)
            finally:
                rec.export += time.perf_counter() - t
                rec.export_end = time.perf_counter()

        Store.__init__, Store.export, Store.write_many = __init__, export, write
        Store._bench_wrapped = True


_RECORDER: _Recorder | None = None


def pass_flow(a) -> dict:
    _quiet_logs()
    code = code_version()
    files, _ = corpus_files(Path(a.corpus), a.n) if not a.files else (json.loads(Path(a.files).read_text()), 0)
    out = Path(a.store)
    if out.exists() and not a.keep_store:
        shutil.rmtree(out)
    with TreeRSS() as mem:
        t_import = time.perf_counter()
        from flows.run import run
        from models.settings import Settings
        t_import = time.perf_counter() - t_import
        rec = _Recorder(mem)
        rec.install()
        t0 = time.perf_counter()
        summary = run(files, str(out), Settings(), workers=a.workers, reprocess=not a.keep_store,
                      docs_per_task=a.docs_per_task)   # as `minutes run` does
        wall = time.perf_counter() - t0
    res = {"wall": wall, "import": t_import, "startup": (rec.body_start or t0) - t0,
           "teardown": (t0 + wall) - (rec.export_end or t0 + wall), "stages": rec.timings,
           "first_result": (rec.first_write or t0) - t0, "by_format": rec.by_format, "code": code,
           "write": rec.write, "export": rec.export, "docs": rec.docs, "failed": rec.failed,
           "ok": summary.documents_ok, "unchanged": summary.unchanged, "rows": summary.rows,
           "failures": [list(f) for f in summary.failed[:5]],
           "peak_rss": mem.peak, "peak_rss_single": mem.peak_single, "checkpoints": rec.checkpoints,
           "cpu": mem.cpu_by_role(), "peak_by_role": mem.peak_by_role, "docs_per_task": a.docs_per_task}
    if a.rerun_warm:
        rec2 = _Recorder(None)
        rec2.install()
        t1 = time.perf_counter()
        again = run(files, str(out), Settings(), workers=a.workers, docs_per_task=a.docs_per_task)
        res["rerun_warm"] = {"wall": time.perf_counter() - t1, "unchanged": again.unchanged,
                             "processed": again.documents_ok + again.documents_failed}
    return res


def _plain_worker_init():
    from runner.nlp import get_nlp
    get_nlp()


def _plain_task(path: str, doc_id: str):
    from runner.nlp import get_nlp
    from runner.process import process_document
    from models.settings import Settings
    return process_document(path, Settings(), get_nlp(), doc_id=doc_id)


def pass_plain(a) -> dict:
    """run_flow's work, step for step, without Prefect."""
    _quiet_logs()
    code = code_version()
    files, _ = corpus_files(Path(a.corpus), a.n)
    out = Path(a.store)
    if out.exists():
        shutil.rmtree(out)
    with TreeRSS() as mem:
        t0 = time.perf_counter()
        from models.schema import EXPORT_TABLES
        from sources.discover import discover
        from runner.process import error_doc_id
        from research.exports import export_after_batch
        from runner.batch import WRITE_BATCH
        from store.database import Pending, Store
        timings: dict[str, float] = {}
        by_format: dict[str, dict[str, float]] = {}
        t_write = t_export = 0.0
        docs = failed = 0
        found = discover(files)
        with Store(out) as store:
            todo = [(str(p), error_doc_id(p)) for p in found.files]   # as run_flow with reprocess=True

            batch_size = WRITE_BATCH   # write as the flow does: N documents a transaction
            batch: list = []

            def flush():
                nonlocal t_write
                t = time.perf_counter()
                store.write_many([Pending(r) for r in batch])
                t_write += time.perf_counter() - t
                batch.clear()

            def consume(result):
                nonlocal docs, failed
                batch.append(result)
                if len(batch) >= batch_size:
                    flush()
                docs += 1
                failed += 0 if result.ok else 1
                for k, v in (getattr(result, "timings", None) or {}).items():
                    timings[k] = timings.get(k, 0.0) + v
                    fmt = by_format.setdefault(result.document.format or "?", {})
                    fmt[k] = fmt.get(k, 0.0) + v

            # worker processes, as the pipeline's own: one model per worker, results back to this
            # process, which writes them
            import concurrent.futures as cf
            import multiprocessing as mp
            with cf.ProcessPoolExecutor(max(1, a.workers), mp_context=mp.get_context("forkserver"),
                                        initializer=_plain_worker_init) as pool:
                futs = [pool.submit(_plain_task, p, d) for p, d in todo]
                for fut in cf.as_completed(futs):
                    consume(fut.result())
            flush()
            t = time.perf_counter()
            export_after_batch(store, out)
            t_export = time.perf_counter() - t
            rows = {tb: store.count(tb) for tb in EXPORT_TABLES}
        wall = time.perf_counter() - t0
    return {"wall": wall, "stages": timings, "write": t_write, "export": t_export, "docs": docs, "rows": rows,
            "failed": failed, "by_format": by_format, "code": code, "cpu": mem.cpu_by_role(), "peak_by_role": mem.peak_by_role,
            "peak_rss": mem.peak, "peak_rss_single": mem.peak_single}


def _distinct_copy(src: Path, dest: Path, k: int) -> None:
    """A byte-different, equally valid copy: new PDF /ID (same length) or a DOCX zip comment."""
    import hashlib
    import re
    import zipfile
    if src.suffix == ".pdf":
        data = src.read_bytes()
        h = hashlib.md5(data + str(k).encode()).hexdigest().upper().encode()
        data, n = re.subn(rb"(/ID\s*\[\s*)<[0-9A-Fa-f]{32}>(\s*)<[0-9A-Fa-f]{32}>",
                          lambda m: m.group(1) + b"<" + h + b">" + m.group(2) + b"<" + h + b">", data)
        if not n:    # no /ID: a comment line after %%EOF changes the bytes as harmlessly
            data += f"\n% copy {k}\n".encode()
        dest.write_bytes(data)
    else:
        shutil.copyfile(src, dest)
        with zipfile.ZipFile(dest, "a") as z:
            z.comment = f"bench copy {k}".encode()


def flat_files(corpus: Path, n: int, copies: int) -> list[str]:
    src, _ = corpus_files(corpus, n)
    base = OUT / f"flat-corpus-{corpus.name}-{n}x{copies}"
    files = []
    for k in range(copies):
        d = base / f"copy{k}"
        d.mkdir(parents=True, exist_ok=True)
        for f in src:
            f = Path(f)
            dest = d / f.name
            if not dest.exists():
                if k == 0:
                    shutil.copyfile(f, dest)
                else:
                    _distinct_copy(f, dest, k)
            files.append(str(dest))
    return files


def pass_profile(a) -> dict:
    import cProfile
    import io
    import pstats
    _quiet_logs()
    files, _ = corpus_files(Path(a.corpus), a.profile)
    from runner.nlp import get_nlp
    from runner.process import process_document
    from models.settings import Settings
    nlp = get_nlp()
    process_document(files[0], Settings(), nlp)      # warm: imports, Voikko, first-call caches
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    prof.enable()
    for f in files:
        r = process_document(f, Settings(), nlp)
        for k, v in r.timings.items():
            timings[k] = timings.get(k, 0.0) + v
    prof.disable()
    wall = time.perf_counter() - t0
    OUT.mkdir(parents=True, exist_ok=True)
    prof.dump_stats(str(OUT / "profile.prof"))
    report = io.StringIO()
    st = pstats.Stats(prof, stream=report)
    report.write(f"== cProfile: process_document over {len(files)} documents, {wall:.1f} s "
                 f"(profiled; unprofiled is faster)\n== stages (s): "
                 + ", ".join(f"{k} {v:.2f}" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])) + "\n")
    report.write("\n== top 30 by own time (tottime)\n")
    st.sort_stats("tottime").print_stats(30)
    report.write("\n== top 40 by cumulative time\n")
    st.sort_stats("cumulative").print_stats(40)
    report.write("\n== project code (minutes) by cumulative time\n")
    st.sort_stats("cumulative").print_stats(r"/(models|extractors|readers|store|sources|research|runner)/", 30)
    text = report.getvalue().replace(str(ROOT / ".venv" / "lib" / "python3.11" / "site-packages") + "/", "")
    (OUT / "profile.txt").write_text(text, encoding="utf-8")
    return {"wall": wall, "stages": timings, "docs": len(files), "report": str(OUT / "profile.txt"),
            "prof": str(OUT / "profile.prof")}


PASSES = {"naive": pass_naive, "flow": pass_flow, "plain": pass_plain, "profile": pass_profile}


# ============================================================================== parent side
def child(name: str, a, env: dict | None = None, **extra) -> dict:
    """Run one pass in a fresh interpreter and return its JSON result."""
    OUT.mkdir(parents=True, exist_ok=True)
    res_file = OUT / f".pass-{name}-{os.getpid()}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_pass", name, "--_result", str(res_file),
           "--corpus", a.corpus]
    if a.n is not None:
        cmd += ["--n", str(a.n)]
    if getattr(a, "docs_per_task", 1) != 1:
        cmd += ["--docs-per-task", str(a.docs_per_task)]
    for k, v in extra.items():
        flag = "--" + k.replace("_", "-")
        if v is True:
            cmd.append(flag)
        elif v not in (None, False):
            cmd += [flag, str(v)]
    t = time.perf_counter()
    print(f"  [{time.strftime('%H:%M:%S')}] {name} {' '.join(f'{k}={v}' for k, v in extra.items() if k != 'files')} ...",
          end="", flush=True)
    tag = name + (f"-w{extra['workers']}" if "workers" in extra else "") + ("-rerun" if extra.get("keep_store") else "") \
        + ("-flat" if extra.get("files") else "") + ("-served" if env else "")
    log = OUT / f"pass-{tag}.log"
    with open(log, "w") as lf:
        rc = subprocess.call(cmd, stdout=lf, stderr=subprocess.STDOUT, cwd=str(ROOT),
                             env={**os.environ, **env} if env else None)
    if rc != 0:
        print(f" FAILED (exit {rc}); see {log}")
        sys.exit(1)
    res = json.loads(res_file.read_text())
    res_file.unlink()
    load = os.getloadavg()[0]
    res["loadavg_1min_after"] = load
    print(f" {time.perf_counter() - t:.0f} s (load average {load:.1f} on {os.cpu_count()} CPUs)")
    return res


@contextlib.contextmanager
def running_server():
    """`prefect server start` in the background, as a scheduled deployment runs against: yields
    its API URL and a function giving the CPU seconds the server has used so far."""
    import psutil
    import urllib.request
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    home = OUT / "prefect-home-served"
    log = open(OUT / "prefect-server-served.log", "w")
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit(f"prefect server did not start; see {log.name}")
                time.sleep(0.5)
        root = psutil.Process(proc.pid)

        def cpu() -> float:
            total = 0.0
            for p in [root] + root.children(recursive=True):
                try:
                    t = p.cpu_times()
                    total += t.user + t.system
                except psutil.Error:
                    pass
            return total
        yield url, cpu
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def served_pass(a, w: int) -> dict:
    """The flow pass against a server that is already running: the server's start is not in the
    pass, its CPU during the pass is (counted apart, as 'Prefect server')."""
    with running_server() as (url, cpu):
        child("flow", a, env={"PREFECT_API_URL": url}, workers=w, store=OUT / f"store-served-w{w}")  # warm-up
        before = cpu()
        res = child("flow", a, env={"PREFECT_API_URL": url}, workers=w, store=OUT / f"store-served-w{w}")
        res["cpu"]["prefect_server"] = cpu() - before
    return res


def mb(b: float) -> str:
    return f"{b / 2**20:,.0f} MB"


def stage_line(stages: dict[str, float]) -> str:
    tot = sum(stages.values()) or 1
    return ", ".join(f"{k} {v:.1f} s ({100 * v / tot:.0f}%)" for k, v in sorted(stages.items(), key=lambda kv: -kv[1]))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--corpus", default=str(OUT / "corpus"), help="corpus built by bench/make_corpus.py")
    ap.add_argument("--n", type=int, default=None, help="first N documents of the corpus (default: all)")
    ap.add_argument("--workers", default="1,2", help="worker counts for flow/plain, comma-separated (default 1,2)")
    ap.add_argument("--passes", default="naive,flow,plain,rerun", help="which passes (default naive,flow,plain,rerun)")
    ap.add_argument("--repeat", type=int, default=1, help="run every pass K times, interleaved; keep the fastest "
                    "(the least disturbed by other load); all wall times are saved")
    ap.add_argument("--flat", action="store_true", help="only the flatness check: 5 x N documents in one flow run")
    ap.add_argument("--copies", type=int, default=5, help="corpus copies for --flat (default 5)")
    ap.add_argument("--profile", type=int, default=0, metavar="K", help="only cProfile process_document over K documents")
    ap.add_argument("--docs-per-task", type=int, default=1, metavar="K",
                    help="documents per Prefect task run in the flow/served passes (minutes run --docs-per-task)")
    ap.add_argument("--json", default=str(OUT / "bench-results.json"), help="where to save all figures")
    ap.add_argument("--report", action="store_true", help="only print the report of the figures saved in --json")
    # internal: one pass in this process
    ap.add_argument("--_pass", help=argparse.SUPPRESS)
    ap.add_argument("--_result", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    ap.add_argument("--keep-store", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--rerun-warm", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a._pass:
        a.workers = int(str(a.workers).split(",")[-1])
        res = PASSES[a._pass](a)
        Path(a._result).write_text(json.dumps(res, default=str))
        return

    corpus = Path(a.corpus).resolve()
    a.corpus = str(corpus)
    files, pages = corpus_files(corpus, a.n)
    m = manifest(corpus)
    n_docs = len(files)
    fmt = {f["file"]: f["format"] for f in m["files"]}
    n_pdf = sum(fmt[Path(f).name] == "pdf" for f in files)
    print(f"corpus {corpus}: {n_docs} documents ({n_pdf} PDF, {n_docs - n_pdf} DOCX), {pages} pages "
          f"(LibreOffice page count); {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    if any(os.environ.get(v) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")):
        print("note: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; `unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE` "
              "before benchmarking (this script does not change the environment)")
    results: dict = {"corpus": str(corpus), "docs": n_docs, "pages": pages, "pdf": n_pdf,
                     "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M:%S")}
    saved = Path(a.json)
    if saved.exists():
        try:
            old = json.loads(saved.read_text())
            if old.get("corpus") == results["corpus"] and old.get("docs") == n_docs:
                results = {**old, **{k: v for k, v in results.items() if k != "when"}}
        except ValueError:
            pass

    if a.report:
        saved_workers = sorted(int(k.split("_w")[1]) for k in results if k.startswith("flow_w"))
        report(results, saved_workers or [int(x) for x in a.workers.split(",")])
        if "flat" in results:
            print("\nflatness (last --flat run):")
            print_flat(results["flat"])
        return

    if a.profile:
        res = child("profile", a, profile=a.profile)
        print(Path(res["report"]).read_text())
        results["profile"] = {k: v for k, v in res.items()}
        saved.write_text(json.dumps(results, indent=1, default=str))
        return

    if a.flat:
        ffiles = flat_files(corpus, n_docs, a.copies)
        lst = OUT / ".flat-files.json"
        lst.write_text(json.dumps(ffiles))
        w = max(int(x) for x in a.workers.split(","))
        print(f"flatness: {len(ffiles)} documents ({a.copies} distinct-byte copies of {n_docs}) in one flow run, "
              f"workers={w}")
        res = child("flow", a, workers=w, store=OUT / "store-flat", files=lst)
        results["flat"] = res
        print_flat(res)
        saved.write_text(json.dumps(results, indent=1, default=str))
        return

    passes = a.passes.split(",")
    workers = [int(x) for x in a.workers.split(",")]
    print("passes, each in a fresh process:")
    fresh: dict[str, dict] = {}

    def keep(key: str, res: dict) -> None:
        """The fastest of the repetitions, with every repetition's wall time beside it."""
        old = fresh.get(key)
        walls = (old or {}).get("walls", []) + [round(res["wall"], 2)]
        fresh[key] = dict(res if old is None or res["wall"] < old["wall"] else old, walls=walls)

    for rep in range(max(1, a.repeat)):
        if a.repeat > 1:
            print(f" repetition {rep + 1}/{a.repeat}")
        if "naive" in passes:
            keep("naive", child("naive", a))
        for w in workers:
            if "flow" in passes:
                keep(f"flow_w{w}", child("flow", a, workers=w, store=OUT / f"store-w{w}", rerun_warm=True))
                if "rerun" in passes:
                    keep(f"rerun_w{w}", child("flow", a, workers=w, store=OUT / f"store-w{w}", keep_store=True))
            if "plain" in passes:
                keep(f"plain_w{w}", child("plain", a, workers=w, store=OUT / f"store-plain-w{w}"))
            if "served" in passes:
                keep(f"served_w{w}", served_pass(a, w))
    results.update(fresh)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, indent=1, default=str))
    report(results, workers)
    print(f"\nfigures saved to {saved}")


def print_flat(res: dict) -> None:
    cps = res.get("checkpoints") or []
    print(f"  {'documents':>10} {'peak RSS so far':>16} {'RSS now':>10}")
    for c in cps:
        print(f"  {c['docs']:>10} {mb(c['peak_rss']):>16} {mb(c['rss']):>10}")
    if len(cps) >= 2:
        first, last = cps[0], cps[-1]
        growth = last["peak_rss"] / first["peak_rss"]
        ok = growth <= TARGETS["flat_growth"]
        print(f"  peak RSS after {first['docs']}: {mb(first['peak_rss'])}, after {last['docs']}: {mb(last['peak_rss'])} "
              f"(x{growth:.2f}, +{mb(last['peak_rss'] - first['peak_rss'])}; RSS now {mb(first['rss'])} -> "
              f"{mb(last['rss'])}) -> {'flat' if ok else 'NOT flat'} (target: x <= {TARGETS['flat_growth']})")
    print(f"  wall {res['wall']:.1f} s, {res['docs']} documents written, peak RSS {mb(res['peak_rss'])}")


def report(r: dict, workers: list[int]) -> None:
    pages, docs = r["pages"], r["docs"]
    cols: list[tuple[str, dict]] = []
    if "naive" in r:
        cols.append(("naive loop", r["naive"]))
    for w in workers:
        if f"flow_w{w}" in r:
            k = r[f"flow_w{w}"].get("docs_per_task", 1)
            cols.append((f"pipeline w={w}" + (f" k={k}" if k != 1 else ""), r[f"flow_w{w}"]))
    for w in workers:
        if f"served_w{w}" in r:
            k = r[f"served_w{w}"].get("docs_per_task", 1)
            cols.append((f"served w={w}" + (f" k={k}" if k != 1 else ""), r[f"served_w{w}"]))
    for w in workers:
        if f"plain_w{w}" in r:
            cols.append((f"no-Prefect w={w}", r[f"plain_w{w}"]))
    if not cols:
        return
    width = 18

    def row(label, fn):
        cells = []
        for _, res in cols:
            try:
                v = fn(res)
            except (KeyError, TypeError, ZeroDivisionError):
                v = None
            cells.append("-" if v is None else v)
        print(f"{label:<34}" + "".join(f"{c:>{width}}" for c in cells))

    print("\n" + "=" * (34 + width * len(cols)))
    print(f"{docs} documents, {pages} pages".ljust(34) + "".join(f"{n:>{width}}" for n, _ in cols))
    print("-" * (34 + width * len(cols)))
    row("wall time (s)", lambda x: f"{x['wall']:.1f}")
    if any(len(res.get("walls", [])) > 1 for _, res in cols):
        row("  every repetition (s)", lambda x: "/".join(f"{w:.0f}" for w in x["walls"]))
    row("documents/s", lambda x: f"{docs / x['wall']:.2f}")
    row("pages/s", lambda x: f"{pages / x['wall']:.1f}")
    row("pages/s after start-up", lambda x: f"{pages / (x['wall'] - x['startup']):.1f}")
    row("start-up (s): model / Prefect", lambda x: f"{x['startup']:.1f}")
    row("first document written at (s)", lambda x: f"{x['first_result']:.1f}")
    row("peak RSS, process tree", lambda x: mb(x["peak_rss"]))
    row("peak RSS, largest process", lambda x: mb(x["peak_rss_single"]))
    row("  at peak: main process", lambda x: mb(x["peak_by_role"]["main"]))
    row("  at peak: workers (sum)", lambda x: mb(x["peak_by_role"]["workers"]) if "workers" in x["peak_by_role"] else None)
    row("  at peak: Prefect server", lambda x: mb(x["peak_by_role"]["prefect_server"])
        if "prefect_server" in x["peak_by_role"] else None)
    row("time in documents (s, all workers)", lambda x: f"{sum(x['stages'].values()):.1f}")
    for st in ("ingest", "extract", "structure", "metadata", "decisions", "dates", "attendance", "agenda", "ner",
               "spacy_all"):
        if any(st in res.get("stages", {}) for _, res in cols):
            row(f"  {st} (s)", lambda x, st=st: f"{x['stages'][st]:.1f}" if st in x["stages"] else None)
    row("CPU s: whole process tree", lambda x: f"{sum(x['cpu'].values()):.0f}")
    row("pages per CPU-second", lambda x: f"{pages / sum(x['cpu'].values()):.2f}")
    row("CPU s: main process", lambda x: f"{x['cpu']['main']:.0f}")
    row("CPU s: worker processes", lambda x: f"{x['cpu']['workers']:.0f}" if "workers" in x["cpu"] else None)
    row("CPU s: Prefect server", lambda x: f"{x['cpu']['prefect_server']:.0f}" if "prefect_server" in x["cpu"] else None)
    for fmt in ("pdf", "docx"):
        row(f"  ingest, {fmt.upper()} only (s)", lambda x, fmt=fmt: f"{x['by_format'][fmt]['ingest']:.1f}")
        row(f"  all stages, {fmt.upper()} only (s)", lambda x, fmt=fmt: f"{sum(x['by_format'][fmt].values()):.1f}")
    row("writing: Store.write (s)", lambda x: f"{x['write']:.1f}")
    row("writing: Parquet/CSV export (s)", lambda x: f"{x['export']:.1f}")
    row("entities found", lambda x: x["rows"]["entities"] if "rows" in x else x["entities"])
    print("=" * (34 + width * len(cols)))

    codes = {json.dumps(res["code"], sort_keys=True) for _, res in cols if res.get("code")}
    if codes:
        print(f"pipeline code measured: {', '.join(sorted(codes))}"
              + ("  WARNING: the code changed between passes" if len(codes) > 1 else ""))
    for name, res in cols:
        if res.get("failed"):
            print(f"WARNING: {name}: {res['failed']} documents failed, e.g. {res.get('failures', [])[:2]}")

    print("\nPrefect orchestration (pipeline wall - same work without Prefect):")
    for w in workers:
        f, p = r.get(f"flow_w{w}"), r.get(f"plain_w{w}")
        if f and p:
            over = f["wall"] - p["wall"]
            print(f"  w={w}: {f['wall']:.1f} - {p['wall']:.1f} = {over:.1f} s = {100 * over / f['wall']:.1f} % of wall "
                  f"(of which before the flow body runs: {f['startup']:.1f} s; after the export: "
                  f"{f['teardown']:.1f} s; in the body, approx.: {over - f['startup'] - f['teardown']:.1f} s)")
        sv = r.get(f"served_w{w}")
        if sv and p:
            over = sv["wall"] - p["wall"]
            print(f"  w={w}, server already running: {sv['wall']:.1f} - {p['wall']:.1f} = {over:.1f} s = "
                  f"{100 * over / sv['wall']:.1f} % of wall (server CPU during the pass: "
                  f"{sv['cpu'].get('prefect_server', 0):.1f} s)")

    print("\nRe-run of the unchanged archive (no --reprocess):")
    for w in workers:
        f = r.get(f"flow_w{w}")
        if f and "rerun_warm" in f:
            rw = f["rerun_warm"]
            print(f"  w={w}: same process {rw['wall']:.1f} s = {100 * rw['wall'] / f['wall']:.1f} % of the first run "
                  f"({rw['unchanged']} unchanged, {rw['processed']} processed)")
        rc = r.get(f"rerun_w{w}")
        if f and rc:
            print(f"  w={w}: fresh process {rc['wall']:.1f} s = {100 * rc['wall'] / f['wall']:.1f} % of the first run "
                  f"(of which Prefect start {rc['startup']:.1f} s; {rc['unchanged']} unchanged)")

    print("\nTargets:")
    naive = r.get("naive")
    best = None
    for w in workers:
        if f"flow_w{w}" in r and (best is None or r[f"flow_w{w}"]["wall"] < best[1]["wall"]):
            best = (w, r[f"flow_w{w}"])

    def verdict(ok):
        return "MET" if ok else "MISSED"
    if best:
        w, f = best
        pps = pages / f["wall"]
        if naive:
            sp = (pages / f["wall"]) / (pages / naive["wall"])
            print(f"  >= {TARGETS['speedup_vs_naive']}x naive pages/s (w={w}, NER on): {sp:.2f}x  "
                  f"{verdict(sp >= TARGETS['speedup_vs_naive'])}")
        print(f"  >= {TARGETS['pages_per_s']:.0f} pages/s end to end (w={w}): {pps:.1f}  {verdict(pps >= TARGETS['pages_per_s'])}")
        for ww in workers:
            if f"flow_w{ww}" in r:
                pk = r[f"flow_w{ww}"]["peak_rss"] / 2**20
                print(f"  peak RSS <= 1.5 GB (w={ww}, process tree): {pk:,.0f} MB  {verdict(pk <= TARGETS['peak_rss_mb'])}")
        for ww in workers:
            fw, pw = r.get(f"flow_w{ww}"), r.get(f"plain_w{ww}")
            if fw and pw:
                share = (fw["wall"] - pw["wall"]) / fw["wall"]
                print(f"  Prefect orchestration <= 10 % (w={ww}): {100 * share:.1f} %  "
                      f"{verdict(share <= TARGETS['orchestration_share'])}")
            sv = r.get(f"served_w{ww}")
            if sv and pw:
                share = (sv["wall"] - pw["wall"]) / sv["wall"]
                print(f"  Prefect orchestration <= 10 % (w={ww}, server already running): {100 * share:.1f} %  "
                      f"{verdict(share <= TARGETS['orchestration_share'])}")
        for ww in workers:
            fw, rc = r.get(f"flow_w{ww}"), r.get(f"rerun_w{ww}")
            if fw and rc:
                share = rc["wall"] / fw["wall"]
                print(f"  re-run <= 5 % of first run (w={ww}, fresh process): {100 * share:.1f} %  "
                      f"{verdict(share <= TARGETS['rerun_share'])}")
    if naive and naive.get("cpu"):
        # wall figures depend on what else the machine runs; CPU seconds much less so
        eff_naive = pages / sum(naive["cpu"].values())
        for ww in workers:
            fw = r.get(f"flow_w{ww}")
            if fw and fw.get("cpu"):
                eff = pages / sum(fw["cpu"].values())
                print(f"  CPU efficiency (w={ww}): {eff:.2f} pages per CPU-s vs naive {eff_naive:.2f} = {eff / eff_naive:.2f}x; "
                      f"on an idle {os.cpu_count()}-core machine at most ~{min(ww, os.cpu_count() or 1) * eff:.1f} pages/s "
                      f"= {min(ww, os.cpu_count() or 1) * eff / eff_naive:.2f}x naive")
    if "flat" in r:
        cps = r["flat"].get("checkpoints") or []
        if len(cps) >= 2:
            g = cps[-1]["peak_rss"] / cps[0]["peak_rss"]
            print(f"  flat RSS ({cps[0]['docs']} vs {cps[-1]['docs']} documents): x{g:.2f}  "
                  f"{verdict(g <= TARGETS['flat_growth'])}  (from the last --flat run)")


if __name__ == "__main__":
    main()
