"""The sentences of a search hit that are evidence for a comparison cell.

A sentence is evidence when it names every component of the topic (:mod:`compare.terms`:
the field's glossary in both languages, acronyms, compound parts; a component may stand
in its section heading or a list's lead-in) and, for an aspect column, the aspect too;
when it speaks for the row (:mod:`compare.attribution`); and when it is no heading,
table row, indicator name or definition. Quotes are sentences cut from the chunk text,
so each is an exact passage of the document's cleaned text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from regionplans.compare import labels
from regionplans.compare.attribution import (
    collective_regions,
    describes_itself,
    is_definition,
    speaks_for,
    states_position,
)
from regionplans.compare.terms import AspectTerms, TermMatch, Terms
from regionplans.records import Hit

MIN_WORDS = 5  # a quote shorter than this is a heading or a fragment


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted passage and where it is written."""

    quote: str
    doc_id: str
    doc_name: str
    title: str
    heading_path: tuple[str, ...]
    page_number: int
    date: str | None
    source_url: str | None
    file_path: str
    secondary: bool
    score: float
    publisher: str = ""
    label: str = "none"
    triggers: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()  # the words that named the topic
    dense_rank: int | None = None  # the passage's rank in the row's dense search
    in_heading: bool = False  # part of the topic is named only in the section heading
    relevance: float | None = None  # P(the sentence is evidence for the row), compare.relevance
    covered: bool = False  # the row is named through a collective reference ("övriga fem regioner")


# A row's chunks come back for each of its columns: what depends only on the chunk or
# the sentence is worked out once (pure functions; `regionplans bench --parts compare`).
_CACHE = 1 << 15
_match = lru_cache(maxsize=_CACHE)(Terms.match)
_label_text = lru_cache(maxsize=_CACHE)(labels.label_text)
_speaks_for = lru_cache(maxsize=_CACHE)(speaks_for)
_aspect_match = lru_cache(maxsize=_CACHE)(AspectTerms.match)
_states_position = lru_cache(maxsize=_CACHE)(states_position)


@lru_cache(maxsize=_CACHE)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(labels.sentence_spans(text))


def evidence_from_hit(
    hit: Hit, terms: Terms, aspect: AspectTerms | None, secondary: bool, row: str | None,
) -> list[Evidence]:
    """The sentences of a hit's chunk that are evidence (about the topic, and the aspect),
    labelled; a list item takes its label from its lead-in ("föreslår Lif att:").

    ``row`` set: only sentences that speak for that row (a sentence of a several-region
    document naming other regions does not)."""
    text = hit.chunk.text
    doc = hit.document
    # A heading stands for the topic only when it names all of it ("AI i diagnostiken").
    context = " ".join(h for h in hit.chunk.heading_path if _match(terms, h).matched)
    spans = _sentence_spans(text)
    out: list[Evidence] = []
    lead: str | None = None
    bullets = ["•" in text[(spans[i - 1][1] if i else 0) : s] for i, (s, _e) in enumerate(spans)]
    matches: dict[int, TermMatch] = {}

    def match_at(i: int) -> TermMatch:  # the topic in sentence i, worked out when asked
        if i not in matches:
            # A list item stands under its lead-in ("Helgenomsekvensering:"), as under a heading.
            lead_in = next((text[a:b] for a, b in reversed(spans[:i]) if text[a:b].rstrip().endswith(":")), "") \
                if bullets[i] else ""  # fmt: skip
            lead_in = lead_in if lead_in and _match(terms, lead_in).matched else ""
            s, e = spans[i]
            matches[i] = _clause_match(terms, text[s:e], f"{context} {lead_in}".strip(), doc.acronyms, doc.publisher)
        return matches[i]

    # An aspect sentence counts in a chunk that names the topic somewhere.
    if aspect is not None and not any(match_at(i).matched for i in range(len(spans))):
        return out
    for i, ((s, e), bullet) in enumerate(zip(spans, bullets, strict=True)):
        sentence = text[s:e]
        before = text[spans[max(0, i - 2)][0] : s] if i else ""  # "övriga fem regioner" reads what went before
        if not bullet:
            lead = None
        if aspect is None:
            match = match_at(i)
            ok = match.matched
        else:
            ok = _aspect_match(aspect, sentence)
            match = match_at(i) if ok else TermMatch(False)
            ok = ok and (match.matched or aspect.dated or bullet)
        if ok and (len(sentence.split()) < MIN_WORDS or sentence.rstrip().endswith(":") or _table_like(sentence)
                   or _INDICATOR.match(sentence) or is_definition(sentence, match.words)
                   or describes_itself(sentence)):  # fmt: skip
            ok = False  # a heading, a lead-in, a table, an indicator's name, a definition or a presentation is no position
        if ok and row is not None and not _speaks_for(doc, sentence, row, before):
            ok = False
        covered = ok and row is not None and row in collective_regions(sentence, doc.regions, before)
        if ok:
            lab = _label_text(sentence, lead if bullet else None)
            if row is not None and not _states_position(row, sentence, lab, secondary, covered, len(doc.regions)):
                ok = False
        if ok:
            out.append(Evidence(
                quote=sentence, doc_id=doc.doc_id, doc_name=doc.name, title=doc.title,
                heading_path=hit.chunk.heading_path, page_number=hit.chunk.page_number,
                date=doc.date, source_url=doc.source_url, file_path=doc.file_path,
                secondary=secondary, score=hit.score, publisher=doc.publisher,
                label=lab.label, triggers=lab.triggers, matched=match.words, dense_rank=hit.dense_rank,
                in_heading=match.matched and match.components < len(terms.components), covered=covered,
            ))  # fmt: skip
        if sentence.rstrip().endswith(":"):
            lead = sentence
    return out


_BUT = re.compile(r",\s+(?:men|but)\s+", re.IGNORECASE)


def _clause_match(
    terms: Terms, sentence: str, context: str, acronyms: Sequence[tuple[str, str]], owner: str = "",
) -> TermMatch:  # fmt: skip
    """The topic named in one clause: "AI används för bemanning, men inte i
    diagnostiken" names AI and diagnostics, but not AI in diagnostics. An organisation
    of the topic may be named by the document's publisher (``owner``)."""
    match = _match(terms, sentence, context, acronyms, owner)
    clauses = _BUT.split(sentence)
    if match.matched and len(clauses) > 1 and not any(_match(terms, c, context, acronyms, owner).matched for c in clauses):
        return TermMatch(False)
    return match


_NUMERIC_TOKEN = re.compile(r"(?<!\S)[\d.,%–-]+(?!\S)")


def _table_like(sentence: str) -> bool:
    """A flattened table row: cells set apart by bars, or mostly numbers."""
    numeric = len(_NUMERIC_TOKEN.findall(sentence))
    return sentence.count("|") >= 3 or numeric > 0.3 * len(sentence.split())


# The name of an indicator in a plan's follow-up list ("Antal patienter som ...").
_INDICATOR = re.compile(r"^\W*(?:Antal|Andel|Number\s+of|Share\s+of|Proportion\s+of|Percentage\s+of)\s")


def closest_miss(hit: Hit, secondary: bool) -> Evidence:
    """The first sentence of a row's best hit: what an empty cell shows as the closest
    passage that did not qualify."""
    text = hit.chunk.text
    s, e = labels.sentence_spans(text)[0]
    doc = hit.document
    return Evidence(
        quote=text[s:e], doc_id=doc.doc_id, doc_name=doc.name, title=doc.title,
        heading_path=hit.chunk.heading_path, page_number=hit.chunk.page_number, date=doc.date,
        source_url=doc.source_url, file_path=doc.file_path, secondary=secondary, score=hit.score,
        publisher=doc.publisher,
    )  # fmt: skip
