"""One line of extracted text: normalised, and recognised as site chrome or not.

:func:`normalise_line` is what every cleaning rule sees: Unicode repaired
(:mod:`~regionplans.ingest.unicode`), letter-spacing and garbled case undone
(:mod:`~regionplans.ingest.typography`), one space between words, bullets as "• ",
list numbers as "1. ". :func:`is_chrome` knows the lines of site chrome wherever they
occur: browser warnings, cookie notices, "Hade du nytta av innehållet på denna sida?",
contact and address lines, datelines, photo credits.
"""

from __future__ import annotations

import re

from regionplans.ingest.typography import fix_mixed_case, unspace_letters
from regionplans.ingest.unicode import repair

BULLET = "•"
BULLET_GLYPHS = "•●▪◦‣∙·■□►▸➢✓\uf0b7\uf0a7\uf076\uf0d8*"
_BULLET_LINE = re.compile(rf"^\s*(?:[{re.escape(BULLET_GLYPHS)}]|-(?=\s))\s*")
NUMBER_LINE = re.compile(r"^\s*(\d{1,2})[.)](?=\s)\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
LETTER = r"[^\W\d_]"
_DEBRIS = re.compile(rf"(?<!{LETTER})\ufffd+|\ufffd+(?!{LETTER})")

_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"

# Lines that are site chrome wherever they occur.
_CHROME_LINES = [
    r"din webbläsare (?:stödjs|stöds|är för gammal)",
    r"(?:uppdatera|byt|uppgradera) (?:till en nyare |din )?webbläsare",
    r"internet explorer.*(?:gammal|stöd)",
    r"your browser is (?:not supported|outdated|out of date|no longer supported)",
    r"^hade du nytta av (?:innehållet|informationen)",
    r"^(?:var|är) (?:den här |denna )?sidan (?:till )?(?:hjälp|användbar)",
    r"^du är (?:nu )?på .*webbplats\.?$",
    r"^(?:sök|meny|stäng|x|dela|skriv ut|lyssna|läs upp|till toppen|hoppa till (?:huvud)?innehållet|"
    r"tillbaka|logga in|print|search|menu|close|share|öppna meny|visa meny|dölj)$",
    r"^(?:lyssna|läs upp)(?: på)?(?: sidan| texten)?$",
    r"^dela (?:sidan|artikeln|på)\b.{0,40}$",
    r"^skriv ut(?: sidan)?$",
    r"^du är här\s*:",
    r"(?:vi|webbplatsen|sidan) använder (?:kakor|cookies)",
    r"^(?:godkänn|acceptera|neka|tillåt) (?:alla |nödvändiga )?(?:kakor|cookies)",
    # Photo credits and colophon lines: "Foto: Anna Berg", "Omslagsbild: Mostphotos".
    r"^(?:foto|fotograf|bild|text|illustration|illustrationer|omslagsfoto|omslagsbild|omslag|"
    r"grafisk (?:form|formgivning|produktion)|formgivning|layout|tryck|photo|cover photo)"
    r"(?: och (?:foto|bild|text|form))?\s*[:©]\s*\S",
    r"^(?:foto|bild|photo)\s*©",
    r"^©\s*\S.{0,60}$",
    r"^foto på ",
    r"logotyp(?:en)?$",
    r"^sociala medier$",
    r"^organisationsnummer",
    r"^(?:org\.? ?nr|telefon|tel|e-post|epost|fax|växel|besöksadress|postadress)\s*[:.]",
    r"^\d{3} ?\d{2} [a-zåäö][a-zåäö ]+$",
    r"^box \d+",
    r"^\d{2} ?\d{2} ?\d{2} ?-? ?\d{4}$",
    r"^(?:publicerad|senast uppdaterad|uppdaterad|sidan (?:senast )?uppdaterad|granskad|"
    r"senast granskad|datum)\s*[:]?\s*(?:den )?\d",
    rf"^(?:den )?\d{{1,2}} (?:{_MONTHS}) \d{{4}}$",
    r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?$",
]
# A URL slug left by a web clipper.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+$")
# Every pattern not anchored at the start names one of these words.
_CHROME_WORDS = ("webbläsare", "explorer", "browser", "kakor", "cookies", "logotyp")
# Patterns anchored at the line's start are tried there only (one regex, ``match``);
# searching every position for all of them cost more than the rest of cleaning.
_CHROME_START = re.compile(
    "|".join(f"(?:{p[1:]})" for p in _CHROME_LINES if p.startswith("^")), re.IGNORECASE
)
_CHROME_ANYWHERE = re.compile(
    "|".join(f"(?:{p})" for p in _CHROME_LINES if not p.startswith("^")), re.IGNORECASE
)
_DOUBLED = re.compile(r"^(.{3,}?)\s+\1$")


def normalise_line(line: str) -> str:
    """Unicode repaired (NFC), one space between words, bullets as "• ", list numbers as "1. "."""
    line = repair(line)
    # U+FFFD marks a byte the extractor could not decode. Next to spaces or
    # punctuation it is debris (a lost bullet glyph); inside a word it is kept so
    # the word is not silently turned into another one.
    if "\ufffd" in line:
        line = _DEBRIS.sub(" ", line)
    line = unspace_letters(line)
    line = _SPACES.sub(" ", line).strip()
    line = fix_mixed_case(line)
    line = _BULLET_LINE.sub(BULLET + " ", line, count=1) if _BULLET_LINE.match(line) else line
    if line == BULLET:
        return ""
    match = NUMBER_LINE.match(line)
    if match:
        line = f"{match.group(1)}. " + line[match.end() :].lstrip(BULLET_GLYPHS + " ")
    return line


def is_chrome(line: str) -> bool:
    """Whether a (normalised) line is site chrome: a banner, a nav word, a dateline, an address."""
    # Chrome is short; a long paragraph that mentions cookies or browsers is content.
    if len(line) > 300:
        return False
    if _CHROME_START.match(line) or _SLUG.match(line):
        return True
    folded = line.casefold()
    if any(word in folded for word in _CHROME_WORDS) and _CHROME_ANYWHERE.search(line):
        return True
    return len(line) <= 120 and bool(_DOUBLED.match(line))
