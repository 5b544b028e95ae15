"""The ingest report's statuses and reasons in the user's language.

The report's reasons are English sentences made by the readers and the pipeline;
each known kind is recognised by its wording and said again from the catalogue, file
names kept as they are. A reason of no known kind is shown inside a translated frame.

>>> reason("empty file (0 bytes)", "sv")
'tom fil (0 byte)'
"""

from __future__ import annotations

import re
from pathlib import PurePath

from regionplans.ui.i18n import t

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), key)
    for pattern, key in (
        (r"^empty file", "why_empty"),
        (r"^not a PDF file", "why_not_pdf"),
        (r"^not a Word \.docx file", "why_not_docx"),
        (r"^same content as (?P<other>.+)$", "why_same"),
        (r"^near-duplicate of (?P<other>.+?) \(", "why_near"),
        (r"^same content and manifest row", "why_unchanged"),
        (r"^binary data", "why_binary"),
        (r"^no text found", "why_no_text"),
        (r"^no text left", "why_no_text_left"),
        (r"^no text layer", "why_scan"),
        (r"^corrupt PDF", "why_corrupt_pdf"),
        (r"^corrupt \.docx", "why_corrupt_docx"),
        (r"^PDF has no pages", "why_no_pages"),
        (r"^no HTML markup|^HTML has no body", "why_no_markup"),
        (r"^deleted by the user", "why_deleted"),
        (r"^file no longer in the folder", "why_gone"),
        (r"^unsupported file type (?P<suffix>\S+);", "why_unsupported"),
        (r"^stopped after (?P<seconds>[\d.]+) s", "why_time"),
        (r"^over the memory budget: .*? at most (?P<mb>\d+) MB", "why_memory"),
        (r"^file too large \((?P<size>[\d.]+) MB > limit (?P<limit>[\d.]+) MB\)", "why_too_large"),
        (r"^HTML page too large \((?P<size>[\d.]+) MB > (?P<limit>[\d.]+) MB\)", "why_html_too_large"),
        (r"^the \.docx holds (?P<size>\d+) MB of XML \(limit (?P<limit>\d+) MB\)", "why_docx_xml"),
    )
)


def reason(text: str, lang: str) -> str:
    """An ingest reason in ``lang``."""
    for pattern, key in PATTERNS:
        found = pattern.search(text.strip())
        if found:
            values = {k: PurePath(v).name if k == "other" else v for k, v in found.groupdict().items()}
            return t(key, lang, **values)
    return t("why_other", lang, detail=text.strip()[:300])


def status(name: str, lang: str) -> str:
    """A file's status (``ingested``, ``failed``...) in ``lang``."""
    return t(f"status_{name}", lang)
