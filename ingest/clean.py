"""Cleaning Swedish text as it really comes out of PDF and web extraction.

From raw pages to :class:`Block` s (headings, paragraphs, list items):

- whitespace, bullets, soft hyphens and replacement characters normalised;
- site chrome removed in general: browser warnings, cookie notices, "Hade du nytta
  av innehållet på denna sida?", contact and address footers, lines repeated
  across documents of one site, running page headers and page numbers;
- words hyphenated across line breaks joined ("utma-\\nning" → "utmaning") while
  real hyphens survive ("hälso- och sjukvård", "forsknings-, utbildnings- och",
  "IT-infrastruktur"); words broken without a hyphen rejoined where the corpus
  vocabulary shows the joined word ("sam\\nverkan" → "samverkan");
- wrapped lines reflowed into paragraphs; pull quotes that repeat the running
  text kept once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from regionplans.ingest.sections import _FUNCTION_WORDS, Heading, detect_heading, numbered_heading
from regionplans.ingest.sentences import split_sentences

BULLET = "•"
_BULLET_GLYPHS = "•●▪◦‣∙·■□►▸➢✓\uf0b7\uf0a7\uf076\uf0d8*"
_BULLET_LINE = re.compile(rf"^\s*(?:[{re.escape(_BULLET_GLYPHS)}]|-(?=\s))\s*")
_NUMBER_LINE = re.compile(r"^\s*(\d{1,2})[.)](?=\s)\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_LETTER = r"[^\W\d_]"

# Conjunctions after which a line-final hyphen is a real Swedish hyphen
# ("hälso- och sjukvård", "kort- eller långsiktiga").
CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "som", "men", "liksom", "till", "and", "or"})

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
    r"(?:vi|webbplatsen|sidan) använder (?:kakor|cookies)",
    r"^(?:godkänn|acceptera|neka|tillåt) (?:alla |nödvändiga )?(?:kakor|cookies)",
    r"^(?:foto|bild|text|illustration)(?: och (?:foto|bild|text))?\s*:\s*\S",
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
    r"(?-i:^[a-z0-9]+(?:-[a-z0-9]+)+$)",  # a URL slug left by a web clipper
]
_CHROME = re.compile("|".join(f"(?:{p})" for p in _CHROME_LINES), re.IGNORECASE)
# Where the content ends and the contact/address footer begins.
_FOOTER_START = re.compile(
    r"^(?:foto på kontaktperson|hade du nytta av|.*logotyp(?:en)?$|organisationsnummer|"
    r"sociala medier$|kontakta oss$|kontaktperson(?:er)?$|dela (?:sidan|artikeln))",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"^(?:sida |page |s\. ?)?\d{1,4}(?: ?(?:av|/|of) ?\d{1,4})?$", re.IGNORECASE)
_DOUBLED = re.compile(r"^(.{3,}?)\s+\1$")


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph or list item of cleaned text on one page (1-based)."""

    kind: str  # "heading" | "para" | "item"
    text: str
    page: int
    level: int = 0


@dataclass(frozen=True)
class Vocabulary:
    """Word counts of a corpus, used to decide whether a broken word should be joined.

    Only tokens that stand whole in the text count: a token touching a hyphen or a
    line break may itself be a fragment.
    """

    words: Mapping[str, int] = field(default_factory=dict)
    hyphenated: frozenset[str] = frozenset()
    _sorted: tuple[str, ...] = ()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        words: Counter[str] = Counter()
        hyphenated: Counter[str] = Counter()
        for text in texts:
            more_words, more_hyphenated = word_counts(text)
            words.update(more_words)
            hyphenated.update(more_hyphenated)
        return cls.from_counts(words, hyphenated)

    @classmethod
    def from_counts(cls, words: Mapping[str, int], hyphenated: Mapping[str, int]) -> Vocabulary:
        """From :func:`word_counts` of every text, summed."""
        kept = {w: n for w, n in words.items() if n > 0}
        return cls(kept, frozenset(w for w, n in hyphenated.items() if n > 0), tuple(sorted(kept)))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.casefold() in self.words

    def is_prefix(self, stem: str) -> bool:
        """Whether some known word is strictly longer and starts with ``stem``."""
        stem = stem.casefold()
        i = bisect_left(self._sorted, stem)
        while i < len(self._sorted) and self._sorted[i].startswith(stem):
            if len(self._sorted[i]) > len(stem):
                return True
            i += 1
        return False


def word_counts(text: str) -> tuple[Counter[str], Counter[str]]:
    """Whole words (case-folded) and hyphenated compounds of one text, counted.

    Only tokens that stand whole in a line count: a token touching a hyphen or a line
    end may itself be a fragment.
    """
    words: Counter[str] = Counter()
    hyphenated: Counter[str] = Counter()
    for raw_line in text.splitlines():
        line = normalise_line(raw_line)
        end = len(line)
        for match in re.finditer(rf"{_LETTER}+", line):
            s, e = match.span()
            if s == 0 or e >= end:
                continue
            if line[s - 1] == "-" or line[e] == "-":
                continue
            words[match.group(0).casefold()] += 1
        for match in re.finditer(rf"{_LETTER}+-{_LETTER}+", line):
            if match.end() < end:
                hyphenated[match.group(0).casefold()] += 1
    return words, hyphenated


def normalise_line(line: str) -> str:
    """NFC, one space between words, bullets as "• ", list numbers as "1. ", no invisible characters."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    for ligature, plain in (("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬀ", "ff"), ("ﬃ", "ffi"), ("ﬄ", "ffl")):
        line = line.replace(ligature, plain)
    # U+FFFD marks a byte the extractor could not decode. Next to spaces or
    # punctuation it is debris (a lost bullet glyph); inside a word it is kept so
    # the word is not silently turned into another one.
    line = re.sub(rf"(?<!{_LETTER})\ufffd+|\ufffd+(?!{_LETTER})", " ", line)
    line = _SPACES.sub(" ", line).strip()
    line = _BULLET_LINE.sub(BULLET + " ", line, count=1) if _BULLET_LINE.match(line) else line
    if line == BULLET:
        return ""
    match = _NUMBER_LINE.match(line)
    if match:
        line = f"{match.group(1)}. " + line[match.end() :].lstrip(_BULLET_GLYPHS + " ")
    return line


def is_chrome(line: str) -> bool:
    """Whether a (normalised) line is site chrome: a banner, a nav word, a dateline, an address."""
    # Chrome is short; a long paragraph that mentions cookies or browsers is content.
    if len(line) > 300:
        return False
    return bool(_CHROME.search(line) or (len(line) <= 120 and _DOUBLED.match(line)))


def site_boilerplate(texts: Sequence[str], *, edge: int = 12) -> frozenset[str]:
    """Lines that open or close at least two of one site's documents: that site's chrome.

    Only the first and last ``edge`` non-blank lines of each document are compared,
    so a heading shared by two articles in their body is never removed.
    """
    if len(texts) < 2:
        return frozenset()
    seen: Counter[str] = Counter()
    counted: list[set[str]] = []
    for text in texts:
        lines = [normalise_line(line) for line in text.splitlines()]
        lines = [line for line in lines if line]
        # The same page saved twice shares its prose too; that is a duplicate, not chrome.
        prose = {line.casefold() for line in lines if len(line) >= 40} or {line.casefold() for line in lines}
        if any(len(prose & other) > 0.5 * min(len(prose), len(other)) for other in counted):
            continue
        counted.append(prose)
        seen.update({line.casefold() for line in lines[:edge] + lines[-edge:] if len(line) <= 300})
    return frozenset(line for line, count in seen.items() if count >= 2)


def repeated_page_lines(pages: Sequence[Sequence[str]]) -> frozenset[str]:
    """Running headers and footers: lines at the top or bottom of most pages.

    Digits are folded (``#``) so "Sida 3" and "Sida 4" count as one line.
    """
    if len(pages) < 2:
        return frozenset()
    counts: Counter[str] = Counter()
    for lines in pages:
        body = [line for line in lines if line]
        counts.update({_fold_digits(line) for line in body[:2] + body[-2:]})
    need = max(2, math.ceil(0.5 * len(pages)))
    return frozenset(key for key, count in counts.items() if count >= need)


def _fold_digits(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    page: int


def clean_pages(
    pages: Sequence[str],
    *,
    headings: Sequence[tuple[int, str]] = (),
    vocabulary: Vocabulary | None = None,
    boilerplate: frozenset[str] = frozenset(),
    wrapped: bool | None = None,
) -> list[Block]:
    """Clean raw pages into blocks.

    ``headings`` are headings declared by markup (then no others are guessed);
    ``vocabulary`` is the corpus vocabulary for rejoining broken words;
    ``boilerplate`` are casefolded lines known to be chrome of this document's
    site; ``wrapped`` says lines break mid-sentence (guessed when ``None``).
    """
    vocabulary = vocabulary or Vocabulary()
    page_lines = [[normalise_line(line) for line in page.splitlines()] for page in pages]
    running = repeated_page_lines(page_lines)
    lines: list[_Line] = []
    for number, page in enumerate(page_lines, start=1):
        nonblank = [i for i, line in enumerate(page) if line]
        edges = set(nonblank[:2] + nonblank[-2:])
        for i, line in enumerate(page):
            if line and i in edges and (_fold_digits(line) in running or _PAGE_NUMBER.match(line)):
                continue
            lines.append(_Line(line, number))
    lines = _cut_footer(lines)
    lines = [
        line for line in lines
        if not line.text or not (is_chrome(line.text) or line.text.casefold() in boilerplate)
    ]  # fmt: skip
    if wrapped is None:
        wrapped = _looks_wrapped(lines)
    blocks = _blocks(lines, headings, vocabulary, wrapped=wrapped)
    blocks = [replace_text(b, _fix_inline(b.text, vocabulary)) for b in blocks]
    blocks = _drop_consecutive_duplicates(blocks)
    return _drop_pull_quotes(blocks)


def replace_text(block: Block, text: str) -> Block:
    return Block(block.kind, text, block.page, block.level)


def _cut_footer(lines: list[_Line]) -> list[_Line]:
    """Drop a contact/address footer: everything from its first line in the last 40 %."""
    nonblank = [i for i, line in enumerate(lines) if line.text]
    if len(nonblank) < 5:
        return lines
    start = nonblank[int(len(nonblank) * 0.6)]
    for i in range(start, len(lines)):
        if lines[i].text and _FOOTER_START.match(lines[i].text):
            return lines[:i]
    return lines


def _looks_wrapped(lines: Sequence[_Line]) -> bool:
    """Whether lines break mid-sentence (a page layout) rather than one paragraph per line."""
    texts = [line.text for line in lines]
    pairs = [(a, b) for a, b in zip(texts, texts[1:], strict=False) if a and b]
    nonblank = sum(1 for t in texts if t)
    if not nonblank:
        return False
    broken = sum(1 for a, _b in pairs if not re.search(r"[.!?:;”\"]$", a))
    return broken / nonblank > 0.25


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?:;”\"')\]]$", text))


def _blocks(
    lines: Sequence[_Line], declared: Sequence[tuple[int, str]], vocabulary: Vocabulary, *, wrapped: bool
) -> list[Block]:
    """Group lines into headings, paragraphs and list items, joining wrapped lines."""
    declared_left = [(level, normalise_line(text)) for level, text in declared]
    blocks: list[Block] = []
    current: list[str] = []  # [kind, text]
    current_page = 0
    gap = False

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(Block(current[0], current[1], current_page))
        current = []

    texts = [line.text for line in lines]
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            gap = True
            continue
        heading = _heading_at(i, texts, declared_left, wrapped=wrapped)
        if heading is not None:
            close()
            blocks.append(Block("heading", heading.label, line.page, heading.level))
            if heading.rest:
                current, current_page = ["para", heading.rest], line.page
            gap = False
            continue
        is_item = text.startswith(BULLET + " ") or bool(_NUMBER_LINE.match(text))
        if current and not is_item:
            continues = not gap or _continues_after_gap(current[1], text)
            if continues:
                current[1] = join_lines(current[1], text, vocabulary)
                gap = False
                continue
        close()
        current, current_page = ["item" if is_item else "para", text], line.page
        gap = False
    close()
    return blocks


def _continues_after_gap(before: str, text: str) -> bool:
    """Whether ``text`` after a blank line still continues the sentence in ``before``.

    Page layouts break sentences over blank lines ("överens-", "", "stämmer"), and
    list items over a column gap ("Region Stockholm", "", "(RS 2019-0672)").
    """
    if _ends_sentence(before):
        return False
    if text[:1].islower() or text[:1] == "(" or before.endswith(("-", ",", "–")):
        return True
    last = before.rsplit(" ", 1)[-1].casefold()
    return last in _FUNCTION_WORDS


def _heading_at(
    i: int, texts: Sequence[str], declared: list[tuple[int, str]], *, wrapped: bool
) -> Heading | None:
    text = texts[i]
    if declared:
        for j, (level, heading) in enumerate(declared):
            if heading == text:
                del declared[j]
                numbered = numbered_heading(text)
                if numbered is not None and numbered.rest:
                    return Heading(level, numbered.label, numbered.rest)
                return Heading(level, text)
        return None
    p = i - 1
    while p >= 0 and not texts[p]:
        p -= 1
    n = i + 1
    while n < len(texts) and not texts[n]:
        n += 1
    return detect_heading(
        text,
        texts[p] if p >= 0 else None,
        texts[n] if n < len(texts) else None,
        wrapped=wrapped,
        gap_before=p < i - 1 or p < 0,
        gap_after=n > i + 1 or n >= len(texts),
    )


def join_lines(left: str, right: str, vocabulary: Vocabulary) -> str:
    """Join two wrapped lines, repairing a word broken across the break."""
    if right.startswith(BULLET + " "):
        right = right[2:]
    head = re.search(rf"({_LETTER}+)-$", left)
    tail = re.match(rf"({_LETTER}+)", right)
    if head and tail:
        w1, w2 = head.group(1), tail.group(1)
        if w2.casefold() in CONJUNCTIONS or w2.casefold().rstrip(".") in CONJUNCTIONS:
            return f"{left} {right}"  # "hälso- och sjukvård"
        if w1[-1].isupper() or w2[0].isupper():
            return left + right  # "IT-infrastruktur", "Life science-Strategin"
        hyphenated = f"{w1}-{w2}".casefold()
        if hyphenated in vocabulary.hyphenated and (w1 + w2) not in vocabulary:
            return left + right
        return left[:-1] + right  # "utma-" + "ning" → "utmaning"
    if left.endswith("-") and right[:1].isdigit():
        return left + right
    head = re.search(rf"({_LETTER}+)$", left)
    if head and tail and right[:1].islower() and should_rejoin(head.group(1), tail.group(1), vocabulary):
        return left + right
    return f"{left} {right}"


def should_rejoin(w1: str, w2: str, vocabulary: Vocabulary) -> bool:
    """Whether "w1 w2", broken at a line end without a hyphen, is one word ("sam" + "verkan").

    Evidence comes from the corpus vocabulary: the joined word occurs elsewhere;
    or the first part is no word of its own and a known word starts the joined
    word ("samverkans|arena") or continues it ("attraktiv|iteten"); or the first
    part is a compound stem ending in the linking "s" ("sjukvårds|organisationer").
    """
    joined = (w1 + w2).casefold()
    if joined in vocabulary.words:
        return True
    if w1 in vocabulary or len(w1) < 2:
        return False
    for k in range(len(joined) - 1, len(w1) + 2, -1):
        if joined[:k] in vocabulary.words and k >= 6:
            return True
    if len(joined) >= 8 and vocabulary.is_prefix(joined):
        return True
    # A compound stem with the linking "s" that starts known words ("kunskaps|spridning").
    return w1.islower() and w1.endswith("s") and len(w1) >= 6 and len(w2) >= 4 and vocabulary.is_prefix(w1)


_INLINE_HYPHEN = re.compile(rf"(?<![\w-])({_LETTER}+)- ({_LETTER}+)")


def _fix_inline(text: str, vocabulary: Vocabulary) -> str:
    """Repair breaks that reached a line as "utma- ning" (an extractor put a space at the break)."""

    def repl(match: re.Match[str]) -> str:
        w1, w2 = match.group(1), match.group(2)
        if w2.casefold() in CONJUNCTIONS or not w2[0].islower() or w1[-1].isupper():
            return match.group(0)
        return w1 + w2

    text = _INLINE_HYPHEN.sub(repl, text)

    def rejoin(match: re.Match[str]) -> str:
        # "precisions medicinska": a compound split by a stray space. Joined only
        # when the corpus has the joined word and the first part is no word.
        w1, w2 = match.group(1), match.group(2)
        joined = (w1 + w2).casefold()
        if w1 not in vocabulary and vocabulary.words.get(joined, 0) >= 2:
            return w1 + w2
        return match.group(0)

    return _INLINE_SPLIT.sub(rejoin, text)


_INLINE_SPLIT = re.compile(r"(?<![\w-])([a-zåäöé]{4,}s) ([a-zåäöé]{3,})(?![\w-])")


def _drop_consecutive_duplicates(blocks: list[Block]) -> list[Block]:
    """A caption printed twice (image alt text and caption) is kept once."""
    kept: list[Block] = []
    for block in blocks:
        if kept and kept[-1].kind == block.kind and kept[-1].text.casefold() == block.text.casefold():
            continue
        kept.append(block)
    return kept


def _quote_key(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    return " ".join(re.findall(r"\w+", text))


def _drop_pull_quotes(blocks: list[Block]) -> list[Block]:
    """Drop a paragraph whose every sentence also stands elsewhere in the text (a pull quote).

    Pull quotes repeat one or two sentences of the running text, sometimes without
    a parenthesis ("Precisionsmedicin (PM) ställer..."), so sentences are compared
    without parentheses, case and punctuation. Each comparison is against blocks
    still kept, so of two identical paragraphs one survives.
    """
    keys = [_quote_key(b.text) if b.kind != "heading" else "" for b in blocks]
    dropped: set[int] = set()
    for i, block in enumerate(blocks):
        if block.kind != "para" or not keys[i]:
            continue
        sentences = [_quote_key(s) for s, _, _ in split_sentences(block.text)]
        sentences = [s for s in sentences if s]
        others = [keys[j] for j in range(len(blocks)) if j != i and j not in dropped and keys[j]]
        if sentences and all(len(s) >= 20 and any(s in other for other in others) for s in sentences):
            dropped.add(i)
    return [block for i, block in enumerate(blocks) if i not in dropped]


def assemble(blocks: Sequence[Block], page_count: int) -> tuple[str, list[tuple[str, int, int, int, int]]]:
    """The cleaned document text (pages separated by ``\\f``) and each block's span in it.

    Spans are ``(kind, level, page, start, end)``. Headings, paragraphs and lists
    are separated by blank lines; list items by a line break.
    """
    pieces: list[str] = []
    spans: list[tuple[str, int, int, int, int]] = []
    offset = 0
    last_page = max([page_count, *(b.page for b in blocks)]) if blocks else max(page_count, 1)
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        by_page.setdefault(block.page, []).append(block)
    for page in range(1, last_page + 1):
        if page > 1:
            pieces.append("\f")
            offset += 1
        previous: Block | None = None
        for block in by_page.get(page, []):
            if previous is not None:
                sep = "\n" if block.kind == previous.kind == "item" else "\n\n"
                pieces.append(sep)
                offset += len(sep)
            pieces.append(block.text)
            spans.append((block.kind, block.level, page, offset, offset + len(block.text)))
            offset += len(block.text)
            previous = block
    return "".join(pieces), spans
