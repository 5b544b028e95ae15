"""Unicode repair: text as PDF, Word and web exports garble it, made plain NFC text.

- spacing diacritics from LaTeX and old PDF fonts recomposed: "f¨or" → "för",
  "Inneh˚all" → "Innehåll" (the accent before its letter, or after it), and combining
  marks that landed on the wrong letter moved ("f\\u0308or" → "för");
- ligatures split ("ﬁ" → "fi"); zero-width characters, bidi marks and soft hyphens
  removed (a Google Docs export carries hundreds);
- private-use glyphs of the Symbol and Wingdings fonts: a bullet before a space
  becomes "•", a Symbol letter before a letter its Greek letter ("\\uf062-Naftylamin"
  → "β-Naftylamin"), any other private-use character is dropped;
- glyph-name leftovers ("/two.pnum/zero.pnum/one.pnum/nine.pnum" → "2019",
  "/uni00E4" → "ä", "(cid:71)" dropped);
- NULs and other control characters removed (tab, line feed, carriage return and
  form feed, the page separator, are kept); NFC everywhere.

>>> repair("Inneh˚allsf¨orteckning /two.pnum/zero.pnum/one.pnum/nine.pnum")
'Innehållsförteckning 2019'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Spacing accents as the fonts of LaTeX (OT1) and old PDF producers draw them, and
# the combining mark each stands for.
_SPACING = {
    "\u00a8": "\u0308", "\u02da": "\u030a", "\u00b4": "\u0301", "\u02ca": "\u0301",
    "\u02cb": "\u0300", "\u02c6": "\u0302", "\u02dc": "\u0303", "\u00b8": "\u0327", "\u02c7": "\u030c",
}  # fmt: skip
# Letters a recomposed accent may make: Swedish and the European names its texts carry.
# ("Region´s" must not become "Regioń"; "´s" is an apostrophe.)
_COMPOSED = frozenset("äöüëïÿåéèêëáàâíìîóòôúùûñãõçšžčřěÄÖÜËÏŸÅÉÈÊÁÀÂÍÌÎÓÒÔÚÙÛÑÃÕÇŠŽČŘĚ")
_LETTER = r"[^\W\d_]"
_SPACING_CLASS = "[" + "".join(_SPACING) + "]"
_COMBINING = "[\u0300-\u036f]"
# An accent before its letter (at most one space between), or after it.
_ACCENT = re.compile(rf"({_LETTER})?({_SPACING_CLASS}) ?({_LETTER})?")
_MISPLACED = re.compile(rf"(^|(?<=\s)|{_LETTER})({_COMBINING})({_LETTER})")

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_LIGATURE = re.compile("[\ufb00-\ufb06]")
# Soft hyphen, zero-width space/joiners, bidi marks and embeddings, word joiner and
# invisible operators, the BOM used as a zero-width no-break space.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# C0 and C1 controls except tab, line feed, carriage return and form feed; DEL;
# surrogates and non-characters (never text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
# The Symbol font's letters (U+F041-F07A in the private-use area as Word exports them).
_SYMBOL_LETTERS = dict(zip("ABCDEFGHIKLMNOPQRSTUWXYZabcdefghijklmnopqrstuwxyz",
                           "ΑΒΧΔΕΦΓΗΙΚΛΜΝΟΠΘΡΣΤΥΩΞΨΖαβχδεφγηιϕκλμνοπθρστυωξψζ", strict=True))  # fmt: skip
_SYMBOL_SIGNS = {0xB0: "°", 0xB1: "±", 0xB3: "≥", 0xA3: "≤", 0xB4: "×", 0xAE: "→", 0xB9: "≠"}

_GLYPH_NAMES = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "period": ".", "comma": ",", "colon": ":",
    "semicolon": ";", "hyphen": "-", "endash": "–", "emdash": "—", "space": " ",
    "parenleft": "(", "parenright": ")", "percent": "%", "slash": "/", "quoteright": "’",
    "quoteleft": "‘", "quotedblleft": "“", "quotedblright": "”", "plus": "+", "equal": "=",
    "adieresis": "ä", "odieresis": "ö", "aring": "å", "Adieresis": "Ä", "Odieresis": "Ö",
    "Aring": "Å", "eacute": "é", "f_i": "fi", "f_l": "fl", "f_f": "ff", "f_f_i": "ffi",
}  # fmt: skip
# "/two.pnum", "/a.sc", "/f_i", "/uni00E4", "(cid:71)": names a font left in place of text.
_GLYPH = re.compile(
    r"/(?:(?P<name>[A-Za-z]+(?:_[A-Za-z]+)*)(?P<suffix>(?:\.[a-z0-9]+)+)|uni(?P<hex>[0-9A-F]{4,6})"
    r"|(?P<lig>f_[fil](?:_[il])?))|\(cid:\d+\)"
)
# Whatever any rule would touch; text without any is only NFC-normalised.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00a8\u00ad\u00b4\u00b8\u02c6-\u02dd\u0300-\u036f"
    "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ud800-\udfff\ue000-\uf8ff"
    "\ufb00-\ufb06\ufeff\ufffe\uffff]|/[A-Za-z]|\\(cid:"
)


def repair(text: str, counts: Counter[str] | None = None) -> str:
    """``text`` with every repair above applied, in NFC. ``counts`` (if given) counts what
    was repaired, by kind: "spacing diacritics", "invisible characters", ...

    Line breaks and form feeds are kept, so a page or a whole document can be repaired
    at once as well as a line.
    """
    if not _SUSPECT.search(text):
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    tally: Counter[str] = counts if counts is not None else Counter()
    text = _count_sub(_CONTROL, "", text, tally, "control characters")
    text = _count_sub(_INVISIBLE, "", text, tally, "invisible characters")
    if "(cid:" in text or "/" in text:
        text = _count_sub(_GLYPH, _glyph, text, tally, "glyph names")
    text = _count_sub(_LIGATURE, lambda m: m.group(0).translate(_LIGATURES), text, tally, "ligatures")
    text = _count_sub(_PRIVATE, _private, text, tally, "private-use glyphs")
    text = _count_sub(_ACCENT, _accent, text, tally, "spacing diacritics")
    text = unicodedata.normalize("NFC", text)
    return _count_sub(_MISPLACED, _misplaced, text, tally, "misplaced diacritics")


def _count_sub(pattern: re.Pattern[str], repl: object, text: str, tally: Counter[str], kind: str) -> str:
    new, n = pattern.subn(repl, text)  # type: ignore[call-overload]
    if n and new != text:
        tally[kind] += n
    return new


def _glyph(match: re.Match[str]) -> str:
    if match.group("hex"):
        code = int(match.group("hex"), 16)
        return chr(code) if code < 0xD800 or 0xE000 <= code < 0x110000 else ""
    name = match.group("name") or match.group("lig") or ""
    return _GLYPH_NAMES.get(name, name if len(name) == 1 else "")


def _private(match: re.Match[str]) -> str:
    """A Symbol/Wingdings glyph: a bullet before a space, a Greek letter before a letter."""
    char = match.group(0)
    code = ord(char)
    following = match.string[match.end() : match.end() + 1]
    if 0xF020 <= code <= 0xF0FF:
        low = code - 0xF000
        letter = _SYMBOL_LETTERS.get(chr(low)) if chr(low).isalpha() else None
        if letter and following and not following.isspace():
            return letter
        if low in _SYMBOL_SIGNS and not (following.isspace() and match.start() == 0):
            return _SYMBOL_SIGNS[low]
    before = match.string[match.start() - 1 : match.start()] if match.start() else ""
    # At the start of a line, or between spaces, it marks a list item.
    if not before or before in "\n\f\t":
        return "• " if following and not following.isspace() else "•"
    if before == " " and (not following or following.isspace()):
        return "•"
    return ""


def _compose(base: str, mark: str) -> str | None:
    composed = unicodedata.normalize("NFC", base + mark)
    return composed if composed in _COMPOSED else None


def _accent(match: re.Match[str]) -> str:
    before, accent, after = match.group(1) or "", match.group(2), match.group(3) or ""
    mark = _SPACING[accent]
    if after:
        composed = _compose(after, mark)
        if composed:
            return before + composed
    if before:
        composed = _compose(before, mark)
        if composed:
            spaced = match.group(0)[len(before) + 1 : len(before) + 2] == " "
            # "O¨ rebro": a capital's accent pushed the extractor to see a word break.
            if spaced and not (composed.isupper() and after.islower()):
                return composed + " " + after
            return composed + after
    return match.group(0)


def _misplaced(match: re.Match[str]) -> str:
    """A combining mark on a letter it does not compose with ("f\u0308or"), or at a word's
    start: it belongs to the next letter."""
    before, mark, after = match.group(1), match.group(2), match.group(3)
    if before and unicodedata.normalize("NFC", before + mark) != before + mark:
        return match.group(0)
    composed = _compose(after, mark)
    return before + composed if composed else match.group(0)
