"""How binding a Swedish passage's wording is: commitment, plan, proposal, status or none.

The label is read from the sentences that carry the topic (not the whole chunk), and
the words that triggered it are returned so a reader can check it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Strongest first: when a topic sentence holds several, the most binding wording wins,
# because "vi ska ... och bör ..." still commits the writer to something.
LABELS: tuple[str, ...] = ("commitment", "plan", "proposal", "status", "none")

_W = r"[\wåäöÅÄÖéÉ-]+"
_PATTERNS: dict[str, tuple[str, ...]] = {
    "commitment": (
        r"\bska\b",
        r"\bskall\b",
        r"\bkommer\s+att\b(?!\s+(?:inte|ej)\b)",
        # Inverted word order: "kommer arbetsgruppen (att) delta".
        rf"\bkommer\s+(?:(?!inte\b|ej\b|aldrig\b){_W}\s+){{1,3}}(?:att\s+)?(?:delta|arbeta|verka|bidra|införa|genomföra|{_W}a)\b",
        r"\bhar beslutat\b",
        r"\bbeslutade\b",
        r"\bhar beslutats\b",
        r"\bbeslutat\b",
        r"\båtar sig\b",
    ),
    "plan": (r"\bavser\b", r"\bplanerar\b", r"\bsiktar på\b", r"\bplanen är\b", r"\bär planerad\b"),
    "proposal": (r"\bföreslår\b", r"\bbör\b", r"\bbehöver\b", r"\bbehövs\b", r"\bförslag\b"),
    "status": (
        r"\bingår i\b",
        r"\bhar etablerat\b",
        r"\bfinns\b",
        r"\bär en del av\b",
        r"\bdeltar i\b",
        r"\bär medlem\b",
        r"\bhar etablerats\b",
    ),
}
_COMPILED = {label: [re.compile(p, re.IGNORECASE) for p in ps] for label, ps in _PATTERNS.items()}

# Sentence ends: . ! ? : before an upper-case letter or digit, a blank line, or a bullet.
# Single line breaks are kept inside a sentence: PDF text breaks lines mid-sentence.
_SENT_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9\"“(•–-])|\n\s*\n|•")


_ABBREVIATIONS = frozenset(
    [
        "exv.",
        "ex.",
        "t.ex.",
        "bl.a.",
        "m.m.",
        "m.fl.",
        "dvs.",
        "d.v.s.",
        "s.k.",
        "ca.",
        "resp.",
        "inkl.",
        "exkl.",
        "nr.",
        "kap.",
        "st.",
        "jfr.",
        "fr.o.m.",
        "t.o.m.",
        "e.g.",
        "i.e.",
    ]
)


@dataclass(frozen=True, slots=True)
class Label:
    """A binding-ness label and the exact words that triggered it."""

    label: str
    triggers: tuple[str, ...] = ()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        before = text[pos : m.start()]
        # No break after an abbreviation ("exv.", "t.ex.") or inside parentheses.
        last = before.rsplit(None, 1)[-1].casefold() if before.strip() else ""
        if (
            "•" not in m.group(0)
            and "\n\n" not in m.group(0).replace(" ", "")
            and (last in _ABBREVIATIONS or before.count("(") > before.count(")"))
        ):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def triggers(text: str) -> dict[str, tuple[str, ...]]:
    """Every label's trigger words found in ``text`` (label → words as written)."""
    found: dict[str, tuple[str, ...]] = {}
    for label, patterns in _COMPILED.items():
        words = [m.group(0) for p in patterns for m in p.finditer(text)]
        if words:
            found[label] = tuple(dict.fromkeys(words))
    return found


def label_text(text: str) -> Label:
    """The most binding label whose wording occurs in ``text`` (one sentence or a few)."""
    found = triggers(text)
    for label in LABELS[:-1]:
        if label in found:
            return Label(label, found[label])
    return Label("none")


def label_sentences(sentences: Sequence[str]) -> Label:
    """The label of the topic-carrying sentences taken together."""
    return label_text(" ".join(sentences))


def strongest(labels: Sequence[Label]) -> Label:
    """The most binding of several labels (e.g. of a cell's evidence passages)."""
    best = Label("none")
    for lab in labels:
        if LABELS.index(lab.label) < LABELS.index(best.label):
            best = lab
    return best
