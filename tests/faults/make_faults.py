"""A corpus of broken, hostile and awkward files for the ingest stage, written at test time.

`build_fault_corpus(dest)` writes every file into `dest` (a temp dir: nothing here is committed
except this generator) and returns {file name relative to dest: expected error_type, or "ok"}.
Everything is generated from the committed samples/ (plus the real scan r080.pdf of the shared
devset when it is present) with the standard library, pdfplumber and Pillow only: no pypdf,
reportlab or pikepdf is needed. Generation is deterministic (fixed seeds) and takes a few seconds;
the largest file on disk is the zip bomb at about 1.2 MB (1.15 GB once unpacked).

`XXE_MARKER` is the content of the secret file the XXE documents point at: it must appear in no
output of the pipeline (no table row, no error message).
"""
from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
REAL_SCAN = ROOT.parent / "shared" / "devset" / "real" / "r080.pdf"

SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))
SAMPLE_DOCXS = sorted(SAMPLES.glob("*.docx"))

XXE_MARKER = "MINUTES-XXE-SECRET-7c1e52a9d4"
SECRET_NAME = "secret.txt"          # written beside the corpus, not part of the returned mapping
BOMB_MIB = 1100                     # uncompressed size of the zip bomb's zero part (1.15 GB)
BITFLIP_SEED = 20240611
ENCRYPT_USER_PASSWORD = "salasana"
ENCRYPT_OWNER_PASSWORD = "omistaja"


def xxe_marker() -> str:
    """The secret string the XXE documents try to pull in (same as XXE_MARKER)."""
    return XXE_MARKER


# --------------------------------------------------------------------------------------------
# minimal PDF writing (classic xref table), optionally with the standard RC4 128-bit handler
# --------------------------------------------------------------------------------------------

def _pdf_str(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _write_pdf(objects: list[bytes | tuple[bytes, bytes]], root: int, info: int | None = None,
               trailer_extra: bytes = b"") -> bytes:
    """objects[i] is object i+1: a dictionary/value (bytes) or a stream (dict without /Length, data)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n)
        if isinstance(obj, tuple):
            head, data = obj
            assert head.endswith(b">>")
            out.write(head[:-2] + b"/Length %d>>\nstream\n" % len(data) + data + b"\nendstream")
        else:
            out.write(obj)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<</Size %d/Root %d 0 R" % (len(objects) + 1, root))
    if info:
        out.write(b"/Info %d 0 R" % info)
    out.write(trailer_extra + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _text_page_content(lines: list[str], top: float = 760, size: float = 11) -> bytes:
    parts = [b"BT /F1 %g Tf %g TL 72 %g Td" % (size, size * 1.4, top)]
    for line in lines:
        parts.append(_pdf_str(line) + b" Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


_FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"


def _many_pages_pdf(n_pages: int) -> bytes:
    """n_pages pages, each with one different line of text in mid-page (not page furniture)."""
    objects: list = [b"<</Type/Catalog/Pages 2 0 R>>", b"", _FONT]
    kids = []
    for i in range(1, n_pages + 1):
        page_obj = len(objects) + 1
        kids.append(b"%d 0 R" % page_obj)
        objects.append(b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                       b"/Resources<</Font<</F1 3 0 R>>>>/Contents %d 0 R>>" % (page_obj + 1))
        line = f"Liite {i}: kokouksen asiakirja nro {i * 7 + 3}, käsitelty ja hyväksytty yksimielisesti."
        objects.append((b"<<>>", _text_page_content([line], top=420)))
    objects[1] = b"<</Type/Pages/Count %d/Kids[%s]>>" % (n_pages, b" ".join(kids))
    return _write_pdf(objects, root=1)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for k, byte in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[k] = byte ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


def _encrypted_pdf(user_password: str, owner_password: str) -> bytes:
    """A one-page PDF under the Standard security handler, V2/R3, RC4 128-bit (PDF 1.4)
    written by hand after ISO 32000-1 7.6.3 algorithms 2, 3 and 5."""
    n = 16
    perms = -3904
    doc_id = hashlib.md5(b"minutes fault corpus " + user_password.encode()).digest()
    upad = (user_password.encode("latin-1") + _PAD)[:32]
    opad = ((owner_password or user_password).encode("latin-1") + _PAD)[:32]
    # algorithm 3: /O
    h = hashlib.md5(opad).digest()
    for _ in range(50):
        h = hashlib.md5(h).digest()
    okey = h[:n]
    o_val = _rc4(okey, upad)
    for i in range(1, 20):
        o_val = _rc4(bytes(b ^ i for b in okey), o_val)
    # algorithm 2: the file key
    h = hashlib.md5(upad + o_val + struct.pack("<i", perms) + doc_id).digest()
    for _ in range(50):
        h = hashlib.md5(h[:n]).digest()
    key = h[:n]
    # algorithm 5: /U
    u_val = _rc4(key, hashlib.md5(_PAD + doc_id).digest())
    for i in range(1, 20):
        u_val = _rc4(bytes(b ^ i for b in key), u_val)
    u_val += bytes(16)

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:min(n + 5, 16)]

    lines = ["PÖYTÄKIRJA", "Perusturvalautakunta", "Kokousaika 12.9.2017 klo 17.00",
             "1 § Kokouksen avaus", "Puheenjohtaja avasi kokouksen.", "Päätös: Hyväksyttiin."]
    content = _rc4(obj_key(5), _text_page_content(lines))
    title = _rc4(obj_key(6), "Salainen pöytäkirja".encode("cp1252"))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Count 1/Kids[3 0 R]>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        _FONT,
        (b"<<>>", content),
        b"<</Title<" + title.hex().encode() + b">>>",
        b"<</Filter/Standard/V 2/R 3/Length 128/P %d/O<%s>/U<%s>>>"
        % (perms, o_val.hex().encode(), u_val.hex().encode()),
    ]
    id_hex = doc_id.hex().encode()
    return _write_pdf(objects, root=1, info=6, trailer_extra=b"/Encrypt 7 0 R/ID[<%s><%s>]" % (id_hex, id_hex))


def _image_only_pdf(src: Path, dest: Path) -> None:
    """Render the first page of a real PDF to a bitmap and wrap it in a PDF: a 'scan' with no text."""
    import pdfplumber
    with pdfplumber.open(src) as pdf:
        img = pdf.pages[0].to_image(resolution=100).original.convert("RGB")
    img.save(dest, "PDF", resolution=100.0, creationDate=None, modDate=None)   # no dates: reproducible


def _bitflip_xref(data: bytes, seed: int, flips: int = 4) -> bytes:
    """Flip the low bit of `flips` seeded-random field separators (b" " -> b"!") in the classic xref
    table. Each hit line no longer has three fields, so pdfminer drops the table and rebuilds it by
    scanning the file for objects: all text survives, expected ok. (Flipping the offset digits
    instead is not stable: pdfminer silently skips unparsable entries or follows wrong offsets,
    and text goes missing or the body comes out empty, depending on the seed.)"""
    b = bytearray(data)
    start = data.rindex(b"\nxref") + 5
    end = data.index(b"trailer", start)
    seps = [i for i in range(start, end) if b[i] == 0x20 and b[i - 1] in b"0123456789" and b[i + 1] in b"0123456789"]
    rng = random.Random(seed)
    for i in rng.sample(seps, flips):
        b[i] ^= 0x01
    return bytes(b)


def _bitflip_stream(data: bytes) -> bytes:
    """Invert 4 bytes in the middle of the first large content stream: the inflated content turns
    into garbage operators (pdfminer then fails with 'Invalid dictionary construct'). Expected corrupt."""
    b = bytearray(data)
    spans = [(m.end(), data.index(b"endstream", m.end())) for m in re.finditer(rb"(?<!end)stream\r?\n", data)]
    s0, s1 = next((s, e) for s, e in spans if e - s > 500)
    mid = (s0 + s1) // 2
    for i in range(mid, mid + 4):
        b[i] ^= 0xFF
    return bytes(b)


# --------------------------------------------------------------------------------------------
# DOCX helpers
# --------------------------------------------------------------------------------------------

def _docx_parts(src: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(src) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _zip_bytes(parts: list[tuple[str, bytes | str]]) -> bytes:
    """A deflated zip with fixed timestamps, so the corpus is byte-for-byte reproducible."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _write_zip(dest: Path, parts: list[tuple[str, bytes]]) -> None:
    dest.write_bytes(_zip_bytes(parts))


def _replace_part(parts: list[tuple[str, bytes]], name: str, data: bytes) -> list[tuple[str, bytes]]:
    return [(n, data if n == name else d) for n, d in parts]


def _with_doctype(document_xml: bytes, doctype: str, body_xml: str, pre_doctype: str = "") -> bytes:
    """Put `doctype` (and `pre_doctype`, e.g. a long comment) after the XML declaration and `body_xml`
    as the first element of the body."""
    text = document_xml.decode("utf-8")
    decl_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    text = text[:decl_end] + "\n" + pre_doctype + doctype + "\n" + text[decl_end:].lstrip()
    i = text.index("<w:body>") + len("<w:body>")
    return (text[:i] + body_xml + text[i:]).encode("utf-8")


def _xxe_doctype(secret: Path) -> str:
    return f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>'


XXE_BODY = "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"

LAUGHS_DOCTYPE = ("<!DOCTYPE w:document [<!ENTITY lol \"lol\">"
                  + "".join(f"<!ENTITY lol{k} \"{('&lol' + (str(k - 1) if k > 1 else '') + ';') * 10}\">"
                            for k in range(1, 10))
                  + "]>")
LAUGHS_BODY = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"


def _zip_bomb_docx(src: Path, dest: Path, mib: int = BOMB_MIB) -> None:
    """A valid DOCX (every part of `src`) plus word/media/padding.bin of `mib` MiB of zeros.

    Written by hand as a plain (non-zip64) zip: the deflate stream of the zero part is one
    full-flushed 1 MiB block repeated, so building it needs ~1 KB of memory and ~0.4 s (the CRC)."""
    parts = _docx_parts(src)
    ct = dict(parts)["[Content_Types].xml"].decode("utf-8")
    if 'Extension="bin"' not in ct:
        ct = ct.replace("<Default ", '<Default Extension="bin" ContentType="application/octet-stream"/><Default ', 1)
    parts = _replace_part(parts, "[Content_Types].xml", ct.encode("utf-8"))

    chunk = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)   # same bytes for every later MiB
    tail = comp.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    bomb_size = mib << 20
    bomb_csize = len(first) + (mib - 1) * len(block) + len(tail)
    assert bomb_size < 0xFFFFFFFF and bomb_csize < 0xFFFFFFFF

    dostime, dosdate = 0, (1980 - 1980) << 9 | 1 << 5 | 1
    central = []
    with open(dest, "wb") as f:
        def local(name: bytes, crc_: int, csize: int, size: int) -> None:
            central.append((name, crc_, csize, size, f.tell()))
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, dostime, dosdate,
                                crc_, csize, size, len(name), 0) + name)

        for name, data in parts:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = c.compress(data) + c.flush()
            local(name.encode(), zlib.crc32(data), len(packed), len(data))
            f.write(packed)
        local(b"word/media/padding.bin", crc, bomb_csize, bomb_size)
        f.write(first)
        for _ in range(mib - 1):
            f.write(block)
        f.write(tail)
        cd_start = f.tell()
        for name, crc_, csize, size, off in central:
            f.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, dostime, dosdate,
                                crc_, csize, size, len(name), 0, 0, 0, 0, 0, off) + name)
        cd_end = f.tell()
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                            cd_end - cd_start, cd_start, 0))


def _empty_body_docx(src: Path, dest: Path) -> None:
    """A real DOCX with every body element but the section properties removed (headers stay)."""
    import docx
    from docx.oxml.ns import qn
    d = docx.Document(str(src))
    body = d.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    d.save(str(dest))


# --------------------------------------------------------------------------------------------
# the corpus
# --------------------------------------------------------------------------------------------

def build_fault_corpus(dest: Path) -> dict[str, str]:
    """Write the fault corpus into `dest`; return {relative file name: expected error_type or "ok"}.

    Also writes dest/secret.txt (XXE_MARKER) and the directory dest/folder.pdf, which are not
    in the mapping."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    pdf_a, pdf_b, pdf_c = SAMPLE_PDFS[0], SAMPLE_PDFS[1], SAMPLE_PDFS[2]
    docx_a, docx_b = SAMPLE_DOCXS[0], SAMPLE_DOCXS[1]
    pdf_a_bytes = pdf_a.read_bytes()
    docx_a_bytes = docx_a.read_bytes()
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, exp: str) -> None:
        (dest / name).write_bytes(data)
        expected[name] = exp

    def copy(name: str, src: Path, exp: str) -> None:
        shutil.copyfile(src, dest / name)
        expected[name] = exp

    # good files, as they are and under odd names
    copy("good_" + pdf_a.name, pdf_a, "ok")
    copy("good_" + docx_a.name, docx_a, "ok")
    copy("good_" + SAMPLE_PDFS[3].name, SAMPLE_PDFS[3], "ok")
    copy("kokous pöytäkirja äöü Ä Ö Ü 2017.pdf", pdf_b, "ok")
    copy("pdf_named_as.docx", pdf_c, "ok")            # read as a PDF by its content
    copy("docx_named_as.pdf", docx_b, "ok")           # read as a DOCX by its content

    # empty / truncated / not a document
    put("zero_bytes.pdf", b"", "empty")
    put("zero_bytes.docx", b"", "empty")
    put("truncated_30pct.pdf", pdf_a_bytes[: int(len(pdf_a_bytes) * 0.3)], "corrupt")
    put("truncated_30pct.docx", docx_a_bytes[: int(len(docx_a_bytes) * 0.3)], "corrupt")
    rnd = random.Random(1234).randbytes(64 * 1024)
    assert b"%PDF-" not in rnd[:1024] and not rnd.startswith((b"PK", b"\xd0\xcf"))
    put("random_bytes.pdf", rnd, "corrupt")
    put("header_only.pdf", b"%PDF-1.7\n", "corrupt")
    put("html_error_page.pdf",
        b"<!DOCTYPE html>\n<html lang=\"fi\"><head><meta charset=\"utf-8\"><title>404 Sivua ei l\xc3\xb6ydy"
        b"</title></head>\n<body><h1>404 Not Found</h1><p>The requested document /dynasty/pk_2017.pdf "
        b"was not found on this server.</p></body></html>\n", "unsupported")
    put("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + bytes(range(256)) * 14, "unsupported")
    put("legacy_renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + bytes(range(256)) * 14,
        "unsupported")
    put("plain_text.txt", "Pöytäkirja\n1 § Kokouksen avaus\n".encode("utf-8"), "unsupported")
    put("plain_zip.docx", _zip_bytes([("liitteet/osallistujat.csv", "nimi;rooli\nMatti Meikäläinen;puheenjohtaja\n"),
                                      ("README.txt", "Kokousmateriaalit\n")]), "unsupported")

    # damaged but structurally repairable / damaged beyond repair
    put("bitflip_xref.pdf", _bitflip_xref(pdf_a_bytes, BITFLIP_SEED), "ok")
    put("bitflip_stream.pdf", _bitflip_stream(pdf_a_bytes), "corrupt")

    # PDFs of our own making
    put("encrypted_user_password.pdf", _encrypted_pdf(ENCRYPT_USER_PASSWORD, ENCRYPT_OWNER_PASSWORD), "encrypted")
    put("encrypted_owner_only.pdf", _encrypted_pdf("", ENCRYPT_OWNER_PASSWORD), "ok")  # opens without a password
    _image_only_pdf(pdf_a, dest / "image_only.pdf")
    expected["image_only.pdf"] = "no_text"
    if REAL_SCAN.is_file():
        copy("real_scan_r080.pdf", REAL_SCAN, "no_text")
    put("pages_1000.pdf", _many_pages_pdf(1000), "ok")

    # hostile DOCX
    secret = dest / SECRET_NAME
    secret.write_text(XXE_MARKER + "\n", encoding="utf-8")
    parts = _docx_parts(docx_a)
    doc_xml = dict(parts)["word/document.xml"]
    _write_zip(dest / "xxe.docx",
               _replace_part(parts, "word/document.xml", _with_doctype(doc_xml, _xxe_doctype(secret), XXE_BODY)))
    expected["xxe.docx"] = "corrupt"
    _write_zip(dest / "billion_laughs.docx",
               _replace_part(parts, "word/document.xml", _with_doctype(doc_xml, LAUGHS_DOCTYPE, LAUGHS_BODY)))
    expected["billion_laughs.docx"] = "corrupt"
    # the same XXE, hidden from a scan of the first 4 KB: a long comment before the DOCTYPE ...
    late = _with_doctype(doc_xml, _xxe_doctype(secret), XXE_BODY,
                         pre_doctype="<!--" + " padding" * 700 + " -->\n")
    _write_zip(dest / "xxe_late_doctype.docx", _replace_part(parts, "word/document.xml", late))
    expected["xxe_late_doctype.docx"] = "corrupt"
    # ... and in UTF-16, where the bytes b"<!DOCTYPE" never occur
    utf16 = _with_doctype(doc_xml, _xxe_doctype(secret), XXE_BODY).decode("utf-8")
    utf16 = re.sub(r"encoding=['\"]UTF-8['\"]", "encoding='UTF-16'", utf16, count=1, flags=re.I)
    _write_zip(dest / "xxe_utf16.docx", _replace_part(parts, "word/document.xml", utf16.encode("utf-16")))
    expected["xxe_utf16.docx"] = "corrupt"
    _write_zip(dest / "bad_xml.docx", _replace_part(parts, "word/document.xml", doc_xml[: len(doc_xml) // 2]))
    expected["bad_xml.docx"] = "corrupt"
    _zip_bomb_docx(docx_a, dest / "zip_bomb.docx")
    expected["zip_bomb.docx"] = "too_large"
    _empty_body_docx(docx_b, dest / "empty_body.docx")
    expected["empty_body.docx"] = "empty"

    # not files
    link = dest / "x.pdf"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(dest / "no_such_target.pdf", link)
    expected["x.pdf"] = "not_found"
    (dest / "folder.pdf").mkdir(exist_ok=True)
    return expected


if __name__ == "__main__":   # python -m tests.faults.make_faults DEST
    import sys
    import time
    t0 = time.perf_counter()
    out = build_fault_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "fault-corpus"))
    for name, exp in out.items():
        print(f"{exp:12} {name}")
    print(f"{len(out)} files in {time.perf_counter() - t0:.1f} s")
