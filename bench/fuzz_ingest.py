"""Fuzz the whole per-document path (ingest + extractors) with mutated real PDFs and DOCX files.

    .venv/bin/python bench/fuzz_ingest.py --seconds 120            # hypothesis drives the choices
    .venv/bin/python bench/fuzz_ingest.py --engine random --seed 7  # plain seeded random mutator
    .venv/bin/python bench/fuzz_ingest.py --http --minutes 10       # HTTP and feeds: bench/fuzz_http.py

Seeds are the good documents of samples/ and ../shared/devset (or --seeds FILE...). Each iteration
takes one seed, applies one structure-aware mutation (a PDF content stream or object value; a DOCX
XML part, element or attribute; a part removed) and/or raw byte mutations, writes the result to a
temp file and runs `process_document` on it with a small per-document timeout.

`process_document` must never raise, and error_type "internal" means a bug of ours: both are
reported with a short traceback and the input is saved under bench/out/fuzz-crashes/ (at most
--keep inputs per distinct crash site), next to a .txt with the traceback and the mutation log.
Inputs that hit the timeout are kept too, under bench/out/fuzz-crashes/timeouts/. Exit status 1
when there was any internal error or escaped exception, else 0. Reproduce one with:
    .venv/bin/python -c "from runner.process import process_document as p; print(p('FILE').error)"

With hypothesis, every choice is a draw from st.data(); different draws can give the same file, so
each distinct input runs once (the summary counts the skipped duplicates). --engine random gives
more distinct inputs per second; hypothesis adds its own exploration of the choice sequences.

Bounded: --seconds of wall time (the last document may take up to --timeout more), a hard
per-document timeout (SIGALRM in process_document), and an address-space limit (--max-memory-mb)
so a runaway allocation ends as MemoryError (-> too_large) instead of swapping the machine.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import io
import logging
import random
import re
import resource
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
import zlib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runner.process import process_document  # noqa: E402
from models.settings import Settings  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "out" / "fuzz-crashes"
OUTCOMES = ["ok", "not_found", "empty", "unsupported", "corrupt", "encrypted", "too_large", "timeout",
            "no_text", "internal", "ESCAPED"]


def default_seeds() -> list[Path]:
    devset = ROOT.parent / "shared" / "devset"
    found = sorted(ROOT.glob("samples/*.pdf")) + sorted(ROOT.glob("samples/*.docx"))
    found += sorted(devset.glob("*.pdf")) + sorted(devset.glob("*.docx"))
    found += [p for p in sorted((devset / "real").glob("r*.*")) if p.suffix in (".pdf", ".docx")]
    return found


# --------------------------------------------------------------------------------------------
# choice sources: hypothesis (st.data) or random.Random, behind one small interface
# --------------------------------------------------------------------------------------------

class RandomChooser:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def bytes(self, n: int) -> bytes:
        return self.rng.randbytes(n)


class HypothesisChooser:
    def __init__(self, data):
        from hypothesis import strategies as st
        self.data, self.st = data, st

    def int(self, lo: int, hi: int) -> int:
        # st.integers(lo, hi) puts ~45% of small-range and ~22% of wide-range draws on lo, which
        # would aim most byte flips at the file header; 4 drawn bytes modulo the range keep a mild
        # edge bias (~2%) and are otherwise uniform.
        raw = self.data.draw(self.st.binary(min_size=4, max_size=4))
        return lo + int.from_bytes(raw, "big") % (hi - lo + 1)

    def bytes(self, n: int) -> bytes:
        return self.data.draw(self.st.binary(min_size=n, max_size=n))


def pick(c, seq):
    return seq[c.int(0, len(seq) - 1)]


# --------------------------------------------------------------------------------------------
# raw byte mutations (any format)
# --------------------------------------------------------------------------------------------

MAGIC = [b"\x00", b"\xff", b"\x7f", b"\x80", b"%PDF-", b"PK\x03\x04", b"obj", b"endobj", b"stream",
         b"endstream", b"<<", b">>", b"(", b")", b"\\", b"99999999999", b"-1", b"0 0 R", b"/Length 999999999",
         b"\r\n", b"%%EOF", b"xref", b"trailer", b"<!DOCTYPE", b"\xef\xbb\xbf"]


def m_flip_bits(c, data: bytes, log: list) -> bytes:
    b = bytearray(data)
    k = c.int(1, 16)
    for _ in range(k):
        i = c.int(0, len(b) - 1)
        b[i] ^= 1 << c.int(0, 7)
    log.append(f"flip_bits x{k}")
    return bytes(b)


def m_overwrite(c, data: bytes, log: list) -> bytes:
    i = c.int(0, len(data) - 1)
    s = pick(c, MAGIC)
    log.append(f"overwrite@{i} {s!r}")
    return data[:i] + s + data[i + len(s):]


def m_insert(c, data: bytes, log: list) -> bytes:
    i = c.int(0, len(data))
    s = pick(c, MAGIC) if c.int(0, 1) else c.bytes(c.int(1, 64))
    log.append(f"insert@{i} {s[:16]!r}")
    return data[:i] + s + data[i:]


def m_delete(c, data: bytes, log: list) -> bytes:
    i = c.int(0, len(data) - 1)
    n = c.int(1, min(4096, len(data) - i))
    log.append(f"delete@{i}+{n}")
    return data[:i] + data[i + n:]


def m_duplicate(c, data: bytes, log: list) -> bytes:
    i = c.int(0, len(data) - 1)
    n = c.int(1, min(4096, len(data) - i))
    j = c.int(0, len(data))
    log.append(f"duplicate {i}+{n}->@{j}")
    return data[:j] + data[i:i + n] + data[j:]


def m_truncate(c, data: bytes, log: list) -> bytes:
    n = c.int(0, len(data) - 1)
    log.append(f"truncate@{n}")
    return data[:n]


def make_splice(seeds: list[bytes]):
    def m_splice(c, data: bytes, log: list) -> bytes:
        other = pick(c, seeds)
        i, j = c.int(0, len(data)), c.int(0, len(other))
        log.append(f"splice head@{i} + other tail@{j}")
        return data[:i] + other[j:]
    return m_splice


BYTE_MUTATORS = [m_flip_bits, m_flip_bits, m_overwrite, m_insert, m_delete, m_duplicate, m_truncate]


# --------------------------------------------------------------------------------------------
# PDF-aware mutations
# --------------------------------------------------------------------------------------------

STREAM_RE = re.compile(rb"(<<(?:(?!<<|>>).|<<[^>]*>>)*?/Filter\s*/FlateDecode(?:(?!<<|>>).|<<[^>]*>>)*?>>)\s*stream\r?\n",
                       re.S)
CONTENT_SNIPPETS = [b"0 0 0 0 0 0 cm", b"1 0 0 -1 0 842 cm", b"99999 0 0 99999 0 0 cm", b"/F1 0 Tf", b"/F9 12 Tf",
                    b"/F1 -12 Tf", b"/Im9 Do", b"q " * 300, b"Q " * 40, b"BT", b"ET", b"(\\) Tj", b"<FFFE00> Tj",
                    b"[(a) -99999999 (b)] TJ", b"0 Tz", b"-100 Tz", b"3 Tr", b"0 0 m 400 400 l S",
                    b"50 50 500 500 re S 50 300 m 550 300 l S 300 50 m 300 550 l S", b"1e30 1e30 Td (x) Tj",
                    b"BT /F1 11 Tf 72 700 Td (P\xe4\xe4t\xf6s: Hyv\xe4ksyttiin.) Tj ET", b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",
                    b"0 Tc 0 Tw 0 TL", b"1 0 0 1 0 0 Tm"]
NUMBERS = [b"0", b"-0", b"-1", b"1", b"99999999999999999999", b"0.000001", b"-99999", b"1e30", b"NaN", b"3.4028236e38"]


def _find_streams(data: bytes) -> list[tuple[int, int, int, int]]:
    """(dict_start, dict_end, data_start, data_end) of FlateDecode streams."""
    out = []
    for m in STREAM_RE.finditer(data):
        end = data.find(b"endstream", m.end())
        if end > 0:
            d_end = end - (2 if data[end - 2:end] == b"\r\n" else 1 if data[end - 1:end] in b"\r\n" else 0)
            out.append((m.start(1), m.end(1), m.end(), d_end))
    return out


def rebuild_xref(data: bytes) -> bytes:
    """Renumber the classic xref table after an edit moved objects (files with xref streams stay)."""
    i = data.rfind(b"\nxref")
    t = data.find(b"trailer", i) if i >= 0 else -1
    s = data.find(b"startxref", t) if t >= 0 else -1
    if s < 0:
        return data
    body = data[:i + 1]
    offs = {int(m[1]): (m.start(), int(m[2])) for m in re.finditer(rb"(?m)^(\d{1,7}) (\d{1,5}) obj\b", body)}
    if not offs:
        return data
    size = max(offs) + 1
    rows = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
    rows += [b"%010d %05d n \n" % offs[n] if n in offs else b"0000000000 65535 f \n" for n in range(1, size)]
    trailer = re.sub(rb"/Size\s+\d+", b"/Size %d" % size, data[t:s])
    return body + b"".join(rows) + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


def _mutate_content(c, content: bytes, log: list) -> bytes:
    op = c.int(0, 4)
    toks = [m.span() for m in re.finditer(rb"\S+", content)]
    if op == 0 and toks:
        nums = [sp for sp in toks if re.fullmatch(rb"-?\d+(\.\d+)?", content[sp[0]:sp[1]])] or toks
        a, b = pick(c, nums)
        v = pick(c, NUMBERS)
        log.append(f"content: number {content[a:b][:12]!r} -> {v!r}")
        return content[:a] + v + content[b:]
    if op == 1 and toks:
        a, b = pick(c, toks)
        log.append(f"content: delete token {content[a:b][:12]!r}")
        return content[:a] + content[b:]
    if op == 2:
        snip = pick(c, CONTENT_SNIPPETS)
        i = c.int(0, len(toks)) if toks else 0
        pos = toks[i][0] if i < len(toks) else len(content)
        log.append(f"content: insert {snip[:24]!r}")
        return content[:pos] + b" " + snip + b"\n" + content[pos:]
    if op == 3:
        lines = content.split(b"\n")
        i = c.int(0, len(lines) - 1)
        n = c.int(1, 50)
        log.append(f"content: line {i} x{n}")
        return b"\n".join(lines[:i] + [lines[i]] * n + lines[i + 1:])
    log.append("content: bytes")
    return m_flip_bits(c, content, log) if content else content


def m_pdf_stream(c, data: bytes, log: list) -> bytes:
    """Inflate one FlateDecode stream, mutate its content, deflate, fix /Length and the xref."""
    streams = _find_streams(data)
    if not streams:
        return m_flip_bits(c, data, log)
    d0, d1, s0, s1 = pick(c, streams)
    try:
        content = zlib.decompress(data[s0:s1])
    except zlib.error:
        return m_flip_bits(c, data, log)
    new = zlib.compress(_mutate_content(c, content, log))
    head = re.sub(rb"/Length\s+\d+(?:\s+\d+\s+R)?", b"/Length %d" % len(new), data[d0:d1], count=1)
    out = data[:d0] + head + data[d1:s0] + new + data[s1:]
    return rebuild_xref(out) if c.int(0, 9) else out     # now and then leave the xref stale


PDF_KEYS = [b"/MediaBox", b"/CropBox", b"/Count", b"/Kids", b"/Parent", b"/Length", b"/Rotate", b"/Font",
            b"/FontDescriptor", b"/Widths", b"/FirstChar", b"/LastChar", b"/W", b"/ToUnicode", b"/Encoding",
            b"/Filter", b"/DecodeParms", b"/Contents", b"/Resources", b"/Root", b"/Pages", b"/Size", b"/Type",
            b"/Subtype", b"/FontBBox", b"/Ascent", b"/Descent", b"/DescendantFonts", b"/Info", b"/Title"]
PDF_VALUES = [b"[0 0 0 0]", b"[0 0 1e9 1e9]", b"[-100 -100 -1 -1]", b"[]", b"-1", b"0", b"99999999", b"null",
              b"1 0 R", b"2 0 R", b"999 0 R", b"(x)", b"/Foo", b"<<>>", b"[1 0 R 1 0 R]", b"<FEFF00>", b"true",
              b"[0 0 595]", b"/ASCIIHexDecode", b"[/FlateDecode /FlateDecode]", b"45", b"(\xff\xfe\x00)"]
VALUE_RE = rb"\s*(\[[^\]]*\]|<<(?:[^<>]|<<[^<>]*>>)*>>|\d+\s+\d+\s+R|/[^\s/\[\]<>()]+|-?[\d.]+|\([^)]*\)|<[0-9A-Fa-f]*>|true|false|null)"


def m_pdf_object(c, data: bytes, log: list) -> bytes:
    """Replace the value of one dictionary key somewhere in the file, then fix the xref."""
    key = pick(c, PDF_KEYS)
    hits = list(re.finditer(re.escape(key) + VALUE_RE, data))
    if not hits:
        return m_pdf_stream(c, data, log)
    m = pick(c, hits)
    v = pick(c, PDF_VALUES)
    log.append(f"object: {key.decode()} {m[1][:20]!r} -> {v!r}")
    return rebuild_xref(data[:m.start(1)] + v + data[m.end(1):])


# --------------------------------------------------------------------------------------------
# DOCX-aware mutations
# --------------------------------------------------------------------------------------------

ATTR_VALUES = ["-1", "0", "99999999999999999999", "abc", "", "1.5", "NaN", "\u00b2", "\u0663", "1000000", "9",
               "page", "restart", "bullet", "none", "%1.%2.%3.%4.%5.%6.%7.%8.%9.%10", "decimalZero", "upperRoman"]
ELEMENT_SNIPPETS = [
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="{v}"/><w:numId w:val="{v2}"/></w:numPr></w:pPr><w:r><w:t>1 \u00a7 Kohta</w:t></w:r></w:p>',
    '<w:p><w:pPr><w:outlineLvl w:val="{v}"/></w:pPr><w:r><w:t>P\u00e4\u00e4t\u00f6s</w:t></w:r></w:p>',
    '<w:p><w:r><w:br w:type="page"/><w:lastRenderedPageBreak/><w:t>Sivu</w:t></w:r></w:p>',
    '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{v}"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
    '<w:p><w:pPr><w:pStyle w:val="{v}"/></w:pPr><w:r><w:rPr><w:b w:val="{v2}"/></w:rPr><w:t>Otsikko</w:t></w:r></w:p>',
    '<w:p><w:r><w:t>{big}</w:t></w:r></w:p>',
]


def _nested_tables(depth: int) -> str:
    inner = '<w:p><w:r><w:t>syv\u00e4</w:t></w:r></w:p>'
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    return inner


def _xml_op(c, root, log: list) -> None:
    from lxml import etree
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    els = [e for e in root.iter() if isinstance(e.tag, str)]
    op = c.int(0, 6)
    el = pick(c, els)
    parent = el.getparent()
    name = etree.QName(el).localname
    if op == 0 and parent is not None:
        parent.remove(el)
        log.append(f"xml: remove <{name}>")
    elif op == 1 and parent is not None:
        for _ in range(c.int(1, 30)):
            el.addnext(copy.deepcopy(el))
        log.append(f"xml: duplicate <{name}>")
    elif op == 2:
        with_attrs = [e for e in els if e.attrib] or els
        el = pick(c, with_attrs)
        if el.attrib:
            k = pick(c, sorted(el.attrib))
            v = pick(c, ATTR_VALUES)
            el.set(k, v)
            log.append(f"xml: <{etree.QName(el).localname} {etree.QName(k).localname}={v!r}>")
    elif op == 3 and el.attrib:
        k = pick(c, sorted(el.attrib))
        del el.attrib[k]
        log.append(f"xml: <{name}> drop attribute {etree.QName(k).localname}")
    elif op == 4:
        snip = pick(c, ELEMENT_SNIPPETS).format(v=pick(c, ATTR_VALUES), v2=pick(c, ATTR_VALUES),
                                                big="Kokous " * c.int(1, 20000))
        frag = etree.fromstring(f'<x xmlns:w="{W}">{snip}</x>')[0]
        body = root.find(f"{{{W}}}body")
        target = body if body is not None else root
        target.insert(c.int(0, len(target)), frag)
        log.append(f"xml: insert {snip[:50]!r}")
    elif op == 5:
        body = root.find(f"{{{W}}}body")
        depth = pick(c, [5, 50, 400, 1500])
        if body is not None:
            body.insert(0, etree.fromstring(f'<x xmlns:w="{W}">{_nested_tables(depth)}</x>')[0])
            log.append(f"xml: nested tables depth {depth}")
    else:
        other = pick(c, els)
        if other is not el and el not in other.iterancestors() and parent is not None:
            other.append(el)
            log.append(f"xml: move <{name}> into <{etree.QName(other).localname}>")


def make_docx_mutator():
    from lxml import etree
    safe = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

    def m_docx(c, data: bytes, log: list) -> bytes:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                parts = [(i.filename, z.read(i)) for i in z.infolist()]
        except Exception:
            return m_flip_bits(c, data, log)
        names = [n for n, _ in parts]
        op = c.int(0, 9)
        if op == 0:                                           # drop a part
            victim = pick(c, names)
            parts = [(n, d) for n, d in parts if n != victim]
            log.append(f"docx: drop part {victim}")
        else:
            xml_names = [n for n in names if n.endswith((".xml", ".rels"))]
            target = "word/document.xml" if (op <= 5 and "word/document.xml" in names) else pick(c, xml_names)
            blob = dict(parts)[target]
            if op == 9:                                       # bytes inside the part
                new = m_flip_bits(c, blob, log)
            else:
                try:
                    root = etree.fromstring(blob, safe)
                    for _ in range(c.int(1, 3)):
                        _xml_op(c, root, log)
                    new = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                except etree.XMLSyntaxError:
                    new = m_flip_bits(c, blob, log)
            parts = [(n, new if n == target else d) for n, d in parts]
            log.append(f"docx: in {target}")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n, d in parts:
                z.writestr(n, d)
        return buf.getvalue()
    return m_docx


# --------------------------------------------------------------------------------------------
# the loop
# --------------------------------------------------------------------------------------------

class _Capture(logging.Handler):
    """process_document logs the traceback of an internal error; keep the last one."""
    def __init__(self):
        super().__init__(logging.ERROR)
        self.last: str | None = None

    def emit(self, record):
        self.last = record.getMessage()


def crash_site(tb: str) -> str:
    """Innermost frame of our code plus the exception line: one key per distinct bug."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', tb)
    ours = [f for f in frames if str(ROOT) in f[0] and "/.venv/" not in f[0] and "/bench/" not in f[0]]
    where = ours[-1] if ours else (frames[-1] if frames else ("?", "?", "?"))
    last = [ln for ln in tb.strip().splitlines() if ln and not ln.startswith(" ")][-1:] or ["?"]
    exc = re.sub(r"\d+", "N", last[0].split(":")[0])[:80]
    return f"{Path(where[0]).relative_to(ROOT) if str(ROOT) in where[0] else Path(where[0]).name}:{where[1]} {where[2]} | {exc}"


class Fuzzer:
    def __init__(self, seeds: list[Path], settings: Settings, out: Path, keep: int, workdir: Path):
        self.seeds = [(p, p.read_bytes()) for p in seeds]
        self.settings, self.out, self.keep, self.workdir = settings, out, keep, workdir
        self.splice = make_splice([b for _, b in self.seeds])
        self.docx = make_docx_mutator()
        self.counts: Counter = Counter()
        self.by_kind: dict[str, Counter] = defaultdict(Counter)
        self.sites: dict[str, dict] = {}
        self.iterations = 0
        self.slowest: list[tuple[float, str, str]] = []
        self.capture = _Capture()
        logging.getLogger("minutes").addHandler(self.capture)
        logging.getLogger("minutes").propagate = False    # quiet: outcomes are counted, not logged
        for noisy in ("pdfminer", "pdfplumber", "docx"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
        warnings.simplefilter("ignore")
        self.mutator_errors: Counter = Counter()
        self.mutator_tb: str | None = None
        self.deadline = float("inf")
        self.seen: set[bytes] = set()
        self.duplicates = 0
        self.timeouts: list[str] = []

    def mutate(self, c) -> tuple[bytes, str, list[str], Path]:
        src, data = pick(c, self.seeds)
        log = [f"seed {src.name}"]
        is_pdf = data.startswith(b"%PDF")
        structured = c.int(0, 9) < 7
        if structured:
            data = (m_pdf_stream if c.int(0, 2) else m_pdf_object)(c, data, log) if is_pdf else self.docx(c, data, log)
        if not structured or c.int(0, 3) == 0:
            for _ in range(c.int(1, 3)):
                data = pick(c, BYTE_MUTATORS + [self.splice])(c, data, log) if data else data
        ext = src.suffix
        if c.int(0, 19) == 0:
            ext = ".docx" if ext == ".pdf" else ".pdf"
            log.append(f"renamed to {ext}")
        return data, ext, log, src

    def one(self, c) -> None:
        try:
            data, ext, log, src = self.mutate(c)
        except Exception as e:               # a bug of the fuzzer, not of minutes: count it, go on
            self.mutator_errors[type(e).__name__] += 1
            self.mutator_tb = self.mutator_tb or traceback.format_exc()
            return
        # Past the deadline, only mutate (hypothesis needs the same draws for the same choices).
        # Different choices can still give the same file (choices are taken modulo a range, and
        # hypothesis mutates earlier examples): run each distinct input once.
        key = hashlib.sha1(ext.encode() + data).digest()
        if time.monotonic() >= self.deadline or key in self.seen:
            self.duplicates += key in self.seen
            return
        self.seen.add(key)
        path = self.workdir / f"case{ext}"
        path.write_bytes(data)
        kind = ("pdf" if data.startswith(b"%PDF") else "docx" if data.startswith(b"PK") else "other")
        self.capture.last = None
        t = time.perf_counter()
        try:
            r = process_document(path, self.settings)
            outcome = "ok" if r.ok else r.error.error_type
            tb = self.capture.last if outcome == "internal" else None
            if outcome == "internal" and not tb:
                tb = r.error.message
        except BaseException as e:          # must never happen: process_document swallows everything
            if isinstance(e, KeyboardInterrupt):
                raise
            outcome, tb = "ESCAPED", traceback.format_exc()
        dt = time.perf_counter() - t
        self.iterations += 1
        self.counts[outcome] += 1
        self.by_kind[kind][outcome] += 1
        self.slowest = sorted(self.slowest + [(dt, outcome, " / ".join(log)[:140])], reverse=True)[:5]
        if tb:
            self.record(outcome, tb, data, ext, log)
        elif outcome == "timeout" and len(self.timeouts) < self.keep:   # not a bug, but worth a look
            name = f"timeout-{hashlib.sha1(data).hexdigest()[:10]}{ext}"
            (self.out / "timeouts").mkdir(parents=True, exist_ok=True)
            (self.out / "timeouts" / name).write_bytes(data)
            (self.out / "timeouts" / (name + ".txt")).write_text("mutations:\n  " + "\n  ".join(log) + "\n",
                                                                 encoding="utf-8")
            self.timeouts.append(name)

    def record(self, outcome: str, tb: str, data: bytes, ext: str, log: list[str]) -> None:
        site = f"{outcome}: {crash_site(tb)}"
        info = self.sites.setdefault(site, {"count": 0, "files": [], "tb": tb})
        info["count"] += 1
        if len(info["files"]) >= self.keep:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha1(site.encode()).hexdigest()[:8]
        name = f"{outcome}-{key}-{hashlib.sha1(data).hexdigest()[:10]}{ext}"
        (self.out / name).write_bytes(data)
        (self.out / (name + ".txt")).write_text(f"{site}\n\nmutations:\n  " + "\n  ".join(log) + f"\n\n{tb}\n",
                                                encoding="utf-8")
        info["files"].append(str((self.out / name).relative_to(ROOT) if self.out.is_relative_to(ROOT) else self.out / name))


def run_random(fz: Fuzzer, deadline: float, seed: int) -> None:
    c = RandomChooser(random.Random(seed))
    fz.deadline = deadline
    while time.monotonic() < deadline:
        fz.one(c)


def run_hypothesis(fz: Fuzzer, deadline: float, seed: int) -> None:
    """Hypothesis as the source of choices, in batches of 100 examples with a fresh seed each.
    Examples past the deadline still draw (hypothesis checks that the same choices lead to the same
    draws) but run nothing, so the run overshoots by at most one document."""
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import seed as hseed
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st
    fz.deadline = deadline
    batch = 0
    while time.monotonic() < deadline:
        @hseed(seed * 1_000_003 + batch)
        @hsettings(max_examples=100, deadline=None, database=None, phases=[Phase.generate],
                   suppress_health_check=list(HealthCheck))
        @given(st.data())
        def fuzz_batch(data):
            fz.one(HypothesisChooser(data))
        fuzz_batch()
        batch += 1


def summary(fz: Fuzzer, elapsed: float, engine: str) -> str:
    lines = [f"\nfuzz_ingest: engine={engine}  iterations={fz.iterations}  elapsed={elapsed:.0f} s  "
             f"({fz.iterations / max(elapsed, 1e-9):.1f}/s)  seeds={len(fz.seeds)}  "
             f"peak RSS={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB  "
             f"duplicate inputs skipped={fz.duplicates}"]
    kinds = sorted(fz.by_kind)
    lines.append(f"{'outcome':12} {'total':>7} {'share':>6}  " + "  ".join(f"{k:>6}" for k in kinds))
    for o in OUTCOMES:
        if fz.counts[o] or o in ("internal", "ESCAPED"):
            lines.append(f"{o:12} {fz.counts[o]:7d} {100 * fz.counts[o] / max(fz.iterations, 1):5.1f}%  "
                         + "  ".join(f"{fz.by_kind[k][o]:6d}" for k in kinds))
    lines.append("(columns after 'share': the mutated file's real type by its first bytes)")
    lines.append("\nslowest documents:")
    lines += [f"  {dt:6.2f} s  {o:10} {what}" for dt, o, what in fz.slowest]
    if fz.timeouts:
        lines.append(f"  timeouts saved under {fz.out / 'timeouts'}: {', '.join(fz.timeouts)}")
    bad = {k: v for k, v in fz.sites.items()}
    lines.append(f"\ninternal errors / escaped exceptions: {sum(v['count'] for v in bad.values())} "
                 f"in {len(bad)} distinct places")
    for site, info in sorted(bad.items(), key=lambda kv: -kv[1]["count"]):
        lines.append(f"  [{info['count']}x] {site}")
        frames = [ln for ln in info["tb"].splitlines() if ln.strip().startswith("File ")][-3:]
        lines += ["        " + ln.strip() for ln in frames]
        lines += [f"        saved: {f}" for f in info["files"]]
    if fz.mutator_errors:
        lines.append(f"\nmutator errors (fuzzer bugs, inputs skipped): {dict(fz.mutator_errors)}\n{fz.mutator_tb}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--engine", choices=["hypothesis", "random"], default=None,
                    help="default: hypothesis when installed, else random")
    ap.add_argument("--timeout", type=float, default=10, help="per-document timeout_seconds")
    ap.add_argument("--max-memory-mb", type=int, default=2048, help="address-space limit of this process")
    ap.add_argument("--keep", type=int, default=3, help="inputs saved per distinct crash site")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seeds", type=Path, nargs="*")
    ap.add_argument("--http", action="store_true",
                    help="fuzz the HTTP and feed paths instead, against a hostile local server (bench/fuzz_http.py)")
    ap.add_argument("--minutes", type=float, default=None, help="with --http: how long (default 10)")
    ap.add_argument("--max-rss-mb", type=int, default=1024, help="with --http: peak RSS over this is a failure")
    a = ap.parse_args(argv)
    if a.http:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from fuzz_http import DEFAULT_MINUTES, main as fuzz_http
        return fuzz_http(["--minutes", str(a.minutes or DEFAULT_MINUTES), "--seed", str(a.seed),
                          "--max-rss-mb", str(a.max_rss_mb)])

    engine = a.engine
    if engine is None:
        try:
            import hypothesis  # noqa: F401
            engine = "hypothesis"
        except ImportError:
            engine = "random"
    if a.max_memory_mb > 0:
        lim = a.max_memory_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (lim if hard == resource.RLIM_INFINITY else min(lim, hard), hard))
    seeds = a.seeds or default_seeds()
    if not seeds:
        print("no seed documents found", file=sys.stderr)
        return 2
    settings = Settings(timeout_seconds=a.timeout, max_file_bytes=50 * 1024 * 1024, entities=False)
    with tempfile.TemporaryDirectory(prefix="fuzz-ingest-") as tmp:
        fz = Fuzzer(seeds, settings, a.out, a.keep, Path(tmp))
        t0 = time.monotonic()
        try:
            (run_hypothesis if engine == "hypothesis" else run_random)(fz, t0 + a.seconds, a.seed)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
        print(summary(fz, time.monotonic() - t0, engine))
    return 1 if fz.sites else 0


if __name__ == "__main__":
    sys.exit(main())
