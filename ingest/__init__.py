"""Ingest: files (PDF, HTML, text, Word) → cleaned documents → sections → chunks."""
