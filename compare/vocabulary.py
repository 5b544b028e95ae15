"""The library's words in Swedish and English: what a label code and an empty reason are
called, and the headings and sheet names of a comparison export.

This is the one place these words are written: ``compare.export`` and the CLI say
them from here, and the app's catalogue (:mod:`regionplans.ui.i18n`) takes its label
and empty-reason words from :data:`LABEL_WORDS` and :data:`EMPTY_WORDS`.

>>> word("commitment", "sv"), word("no_documents", "en")
('åtagande', 'no documents')
"""

from __future__ import annotations

from regionplans.errors import ConfigError

LANGUAGES: tuple[str, ...] = ("sv", "en")

# What each label code (compare.labels.LABELS) is called, strongest first.
LABEL_WORDS: dict[str, dict[str, str]] = {
    "commitment": {"sv": "åtagande", "en": "commitment"},
    "plan": {"sv": "plan", "en": "plan"},
    "proposal": {"sv": "förslag", "en": "proposal"},
    "status": {"sv": "läge (finns redan)", "en": "status (already in place)"},
    "none": {"sv": "nämns utan åtagande", "en": "mentioned, no commitment"},
}
# Why a cell is empty (compare.table.EmptyReason), in a word.
EMPTY_WORDS: dict[str, dict[str, str]] = {
    "no_documents": {"sv": "inga dokument", "en": "no documents"},
    "nothing_relevant": {"sv": "inget relevant", "en": "nothing relevant"},
}

WORDS: dict[str, dict[str, str]] = {
    **LABEL_WORDS,
    **EMPTY_WORDS,
    # row groups, yes/no, dates, pages, secondary sources
    "region": {"sv": "region", "en": "region"},
    "national": {"sv": "nationell", "en": "national"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "undated": {"sv": "odaterad", "en": "undated"},
    "page": {"sv": "s.", "en": "p."},
    "secondary_source": {"sv": "andrahandskälla", "en": "secondary source"},
    "closest_miss": {"sv": "närmaste miss", "en": "closest miss"},
    # headings of the long sheet / CSV (one per export.COLUMNS)
    "col_row": {"sv": "rad", "en": "row"},
    "col_group": {"sv": "grupp", "en": "group"},
    "col_column": {"sv": "aspekt", "en": "aspect"},
    "col_label": {"sv": "etikett", "en": "label"},
    "col_triggers": {"sv": "utlösande ord", "en": "triggers"},
    "col_deadlines": {"sv": "tidsgränser", "en": "deadlines"},
    "col_amounts": {"sv": "belopp", "en": "amounts"},
    "col_confidence": {"sv": "säkerhet", "en": "confidence"},
    "col_empty_reason": {"sv": "varför tom", "en": "why empty"},
    "col_searched_documents": {"sv": "lästa dokument", "en": "documents read"},
    "col_evidence_n": {"sv": "citat nr", "en": "quote no"},
    "col_quote": {"sv": "citat", "en": "quote"},
    "col_title": {"sv": "titel", "en": "title"},
    "col_publisher": {"sv": "utgivare", "en": "publisher"},
    "col_heading_path": {"sv": "avsnitt", "en": "section"},
    "col_page": {"sv": "sida", "en": "page"},
    "col_date": {"sv": "datum", "en": "date"},
    "col_source": {"sv": "källa", "en": "source"},
    "col_secondary": {"sv": "andrahandskälla", "en": "secondary"},
    # the grid sheet, the provenance sheet, Markdown
    "sheet_grid": {"sv": "rutnät", "en": "grid"},
    "sheet_long": {"sv": "alla citat", "en": "long"},
    "sheet_provenance": {"sv": "ursprung", "en": "provenance"},
    "key": {"sv": "nyckel", "en": "key"},
    "value": {"sv": "värde", "en": "value"},
    "first_quote": {"sv": "första citat", "en": "first quote"},
    "evidence": {"sv": "Belägg", "en": "Evidence"},
    "provenance": {"sv": "Ursprung", "en": "Provenance"},
}


def check_language(lang: str) -> str:
    """``lang`` when it is one the exports speak; a ConfigError naming the choices else."""
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown export language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


def word(key: str, lang: str) -> str:
    """The export word for ``key`` (a label code, empty reason or heading) in ``lang``;
    an unknown label code is kept as it is."""
    entry = WORDS.get(key)
    return entry[lang] if entry else key


def code_of(heading: str) -> str | None:
    """The column code (``quote``) of a long-sheet heading in either language (``citat``)."""
    for key, entry in WORDS.items():
        if key.startswith("col_") and heading in entry.values():
            return key[4:]
    return None
