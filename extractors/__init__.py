"""Extractors: pure functions from a Document (and settings) to rows. No I/O here."""
