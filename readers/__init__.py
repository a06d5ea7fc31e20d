"""Readers: bytes in, one Document out (PDF through pdfium and pdfplumber, DOCX through python-docx,
scans through tesseract). read.py is the entry: read_document(path)."""
