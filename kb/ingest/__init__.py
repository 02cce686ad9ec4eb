"""Ingest: a raw report file (any format, any encoding) -> repaired text -> metadata -> a corpus report."""
