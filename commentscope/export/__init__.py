"""Researcher exports: labelled, pseudonymised, PII-scrubbed corpora with splits, card and manifest,
and the annotation round trip for human labels."""
