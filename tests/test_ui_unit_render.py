"""Escaping, marking, links and texts of the app (no browser, no index)."""

from __future__ import annotations

import re

from regionplans.records import Chunk, Document, Hit, SearchFilters, SearchResult
from regionplans.ui import render, search_view
from regionplans.ui.i18n import LANGUAGES, t

EVIL = '<script>window.__pwned=1</script> GMS <img src=x onerror="window.__pwned=1">'


def _hit(text: str, terms: tuple[str, ...] = ()) -> Hit:
    doc = Document(
        doc_id="d1", file_path="x/<b>evil</b>.txt", title="<i>Plan</i>", publisher="Region Örebro län",
        regions=("Örebro",), doc_type="strategy", language="sv", date="2021-05-19", text=text, file_hash="h",
    )
    chunk = Chunk("c1", "d1", text, ("Mål", "<b>GMS</b>"), 2, 0, 0, len(text))
    return Hit(chunk=chunk, document=doc, score=1.0, rank=1, matched_terms=terms)


def test_highlight_escapes_before_marking() -> None:
    import html

    out = render.highlight(EVIL, ["GMS", "script", "img", "lt", "quot"])
    assert "<script" not in out and "<img" not in out
    assert "<mark>GMS</mark>" in out
    # Removing the marks gives exactly the escaped text: marking adds nothing else,
    # and entity names (lt, quot) are never split by a mark.
    assert out.replace("<mark>", "").replace("</mark>", "") == html.escape(EVIL)
    assert "&<mark>" not in out


def test_highlight_whole_words_case_insensitive() -> None:
    out = render.highlight("Genomic medicine Sweden och genomik", ["genomic"])
    assert out.startswith("<mark>Genomic</mark>") and "genomik" in out and out.count("<mark>") == 1


def test_hit_card_has_no_live_markup_from_document() -> None:
    card = search_view.hit_card(_hit(EVIL, ("GMS",)), "sv")
    assert "<script" not in card and "<img" not in card and "<i>" not in card and "<b>" not in card
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in card
    assert 'href="/document/d1?lang=sv#p2-' in card and "Region Örebro län" in card
    # A text file has no pages: no page number is shown; a PDF's page is.
    assert "sida" not in card.lower()
    from dataclasses import replace

    hit = _hit("text")
    pdf = replace(hit, document=replace(hit.document, file_path="plan.pdf"))
    assert 'Sida:</span> <span class="rp-value">2</span>' in search_view.hit_card(pdf, "sv")


def test_empty_result_says_what_was_searched_and_what_to_loosen() -> None:
    result = SearchResult(query="biobank <x>", mode="lexical", hits=(),
                          filters=SearchFilters(regions=("Stockholm",)), searched_chunks=12)
    docs = [_hit("x").document.__class__(**{**_hit("x").document.to_dict(), "regions": ("Stockholm",)})]
    for lang in LANGUAGES:
        out = search_view.search_html(result, docs, lang)
        assert "biobank &lt;x&gt;" in out and "Stockholm" in out and "12" in out and t("mode_lexical", lang) in out
        assert t("suggest", lang) in out


def test_section_anchor_stable_and_safe() -> None:
    a = render.section_anchor(("Vi ingår i", "Genomic <medicine>"), 3)
    assert a == render.section_anchor(("Vi ingår i", "Genomic <medicine>"), 3)
    assert a == "p3-vi-ingar-i-genomic-medicine"
    assert render.document_link("d1", ("Vi ingår i", "Genomic <medicine>"), 3) == f"/document/d1#{a}"



def test_long_names_get_hyphenation_points_and_stay_escaped() -> None:
    out = render.hyphenated("Västra Götalandsregionen <b>", "sv")
    assert out.replace(render.SHY, "") == "Västra Götalandsregionen &lt;b&gt;"
    # Soft hyphens only inside the long word, at the dictionary's points (never after
    # its first or before its last two letters).
    assert "Västra " in out and out.split()[1].count(render.SHY) >= 2
    assert not re.search(f"(^|\\s)\\w{{1,2}}{render.SHY}|{render.SHY}\\w{{1,2}}(\\s|$)", out.replace(" &lt;b&gt;", ""))
    assert render.hyphenated("Region Gävleborg", "sv") == "Region Gävleborg"
