"""How binding a sentence's wording is, in Swedish and English: commitment (a decision
or a committed action), plan (a plan, goal or intention), proposal (a proposal or a
need), status (what exists or is done), or none.

Rules, read in order, each returning the words that decided it so a reader can check:

1. a question, a negated statement ("ska inte", "finns ingen"), a hope or a reported
   view ("hoppas", "menar att"), or a prediction about a phenomenon ("precisionsmedicin
   kommer att växa") states no position: ``none``;
2. purpose clauses ("för att patienterna ska få ...") are set aside: their "ska" is
   no commitment;
3. a goal or plan frame ("Målet är att", "avser", "har som ambition") or a proposal
   ("föreslår att", "bör") that comes before a commitment word governs it ("Målet är
   att regionen ska ..." is a goal);
4. otherwise the most binding wording wins: commitment, plan, proposal, status.

A past decision ("Under 2018 beslutade regionfullmäktige att ...") is a commitment;
its year is when it was decided, not a deadline (see :mod:`compare.extract`).

>>> label_text("Målet är att alla regioner ska erbjuda helgenomsekvensering 2026.").label
'plan'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regionplans.ingest.sentences import passage_spans

LABELS: tuple[str, ...] = ("commitment", "plan", "proposal", "status", "none")

_W = r"[\wåäöÅÄÖéÉ-]+"
_I = re.IGNORECASE

_QUESTION = re.compile(r"\?\s*[\"”»)]*\s*$")
_NEGATION = re.compile(
    r"\b(?:inte|ej|aldrig|ingen|inget|inga)\b(?!\s+(?:bara|minst|endast|enbart|heller\s+bara))"
    r"|\bsaknar\b|\bsaknas\b|\bavstyrker\b"
    r"|\b(?:not|no|never|neither)\b(?!\s+(?:only|least|later\s+than))|\b\w+n't\b|\blacks?\b",
    _I,
)
_VIEW = re.compile(
    r"\bhoppas\b|\bförhoppning(?:en)?\b|\bmenar\s+att\b|\btycker\s+att\b|\benligt\s+(?:henne|honom|dem|professor)\b"
    r"|^\s*(?:whether|huruvida)\b|\bär\s+(?:fortfarande\s+)?en\s+öppen\s+fråga\b|\bopen\s+question\b"
    r"|\bhopes?\s+(?:that|to)\b|\bbelieves?\s+that\b|\bargues?\s+that\b|\bin\s+(?:his|her|their)\s+view\b",
    _I,
)
_PREDICTION = re.compile(
    r"\bkommer\s+(?:sannolikt\s+|troligen\s+|förmodligen\s+)?att\s+(?:öka|växa|minska|förändra|förändras|bli|spela|påverka|"
    r"innebära|leda|krävas|behövas|ha\s+stor|få\s+stor|utvecklas\s+snabbt)\b"
    r"|\bwill\s+(?:likely\s+|probably\s+)?(?:grow|increase|decrease|change|become|play|transform|affect|lead|require|keep\s+growing|continue\s+to\s+grow)\b"
    r"|\bis\s+expected\s+to\s+(?:grow|increase|rise)\b|\bförväntas\s+(?:öka|växa)\b",
    _I,
)
# "för att patienterna ska få ..." up to the clause's end: its "ska" commits no one.
_PURPOSE = re.compile(
    r"\b(?:för\s+att|så\s+att|syftet\s+(?:\S+\s+){0,4}är\s+att|in\s+order\s+to|so\s+that|the\s+purpose\s+\w*\s*is\s+to)\b[^,;:.]*",
    _I,
)
# Needs of someone the clause describes ("patienter som behöver ...") propose nothing.
_RELATIVE_NEED = re.compile(r"\b(?:som|who|that)\s+(?:behöver|bör|needs?|should)\b", _I)
# A negation inside a relative clause describes its noun ("en finansiering som inte är
# beroende av projektmedel"), not the main clause: set aside up to the clause's end or
# the main clause's verb ("Regioner som inte lagrar data kan behöva ...").
_RELATIVE_NEGATION = re.compile(
    r"\b(?:som|which|who|that)\s+(?:(?!inte\b|ej\b|not\b)\w+\s+){0,2}(?:inte|ej|aldrig|not|never)\b"
    r"(?:(?!\b(?:kan|ska|skall|kommer|bör|måste|will|can|should|must)\b)[^,;:.])*",
    _I,
)

_PATTERNS: dict[str, tuple[str, ...]] = {
    "commitment": (
        r"\bska\b", r"\bskall\b",
        r"\bkommer\s+att\b(?!\s+(?:inte|ej)\b)",
        # Inverted word order: "kommer arbetsgruppen (att) delta".
        rf"\bkommer\s+(?:(?!inte\b|ej\b|aldrig\b|att\b|från\b|med\b|in\b|fram\b){_W}\s+){{1,3}}(?:att\s+)?(?:delta|arbeta|verka|bidra|införa|genomföra|{_W}a)\b",
        r"\bhar\s+beslutat\b", r"\bbeslutade\b", r"\bhar\s+beslutats\b", r"\bbeslutades\b", r"\bbeslutat\b",
        r"\bfattade\s+beslut\b", r"\bhar\s+fattat\s+beslut\b", r"\båtar\s+sig\b",
        r"\bwill\b", r"\bshall\b", r"\b(?:has|have)\s+decided\b", r"\bdecided\s+to\b", r"\bwas\s+decided\b",
        r"\b(?:is|are)\s+committed\s+to\b", r"\bcommits?\s+to\b",
    ),
    "plan": (
        r"\bavser\b", r"\bplanerar\b", r"\bplaneras\b", r"\bsiktar\s+på\b", r"\bplanen\s+är\b", r"\bär\s+planerad\b",
        r"\bmålet\s+är\b", r"^\s*(?:del)?mål\s*\d*\s*:", r"^\s*(?:goal|objective)\s*\d*\s*:", r"\benligt\s+planen\b",
        r"\bvision\s+är\b", r"\bförväntas\b", r"\bönskemål\b", r"\bwish(?:es)?\s+to\b", r"\bmål(?:et|en)?\s+(?:är|är\s+att)\b", r"\bmålsättningen\s+är\b", r"\bhar\s+som\s+(?:mål|ambition|målsättning)\b",
        r"\bambitionen\s+är\b", r"\bvisionen\s+är\b", r"\bvill\b", r"\bdet\s+finns\s+(?:tankar|planer)\b",
        r"\btanken\s+är\b", r"\bsträvar\s+efter\b", r"\bsträvar\b", r"\bhar\s+för\s+avsikt\b", r"\bavsikten\s+är\b",
        r"\bplans?\s+to\b", r"\bplanned\b", r"\bplanning\s+to\b", r"\baims?\s+to\b", r"\bthe\s+aim\s+is\b",
        r"\bthe\s+goal\s+is\b", r"\bgoal\s+is\s+to\b", r"\bintends?\s+to\b", r"\bambition\s+is\b",
        r"\bvision\s+is\b", r"\bstrives?\s+to\b", r"\bis\s+expected\s+to\b", r"\bwants?\s+to\b", r"\bseeks?\s+to\b",
    ),
    "proposal": (
        r"\bföreslår\b", r"\bföreslås\b", r"\bbör\b", r"\bborde\b", r"\bbehöver\b", r"\bbehövs\b",
        r"\brekommenderar\b", r"\brekommenderas\b", r"\bvi\s+vill\s+se\b", r"\bmåste\b", r"\bkrävs\b",
        r"\bshould\b", r"\bneeds?\s+to\b", r"\bthere\s+is\s+a\s+need\b", r"\brecommends?\b", r"\bproposes?\b",
        r"\bproposal\b", r"\bought\s+to\b", r"\bmust\b", r"\bcalls?\s+for\b", r"\burges?\b",
    ),
    "status": (
        r"\bingår\s+i\b", r"\bhar\s+etablerat\b", r"\bfinns\b", r"\bär\s+en\s+del\s+av\b", r"\bdeltar\s+i\b",
        r"\bär\s+medlem\b", r"\bhar\s+etablerats\b", r"\betablerades\b", r"\bdriver\b", r"\bdrivs\b",
        r"\bhar\s+infört\b", r"\binfördes\b", r"\berbjuds\b", r"\berbjuder\b", r"\bhar\s+startat\b", r"\bstartade\b",
        r"\bpågår\b", r"\bsedan\s+(?:19|20)\d{2}\b", r"\bhar\s+(?:tagit\s+fram|genomfört|byggt\s+upp|inrättat)\b",
        r"\bär\s+(?:en\s+)?nod\b", r"\bmedverkar\s+i\b", r"\bsatsar\b", r"\binvests?\b",
        r"\banvänds\b", r"\banvänder\b", r"\bgörs\b", r"\bhar\s+antagit\b", r"\bantog\b", r"\bantogs\b",
        r"\bfastställde\b", r"\bfastställdes\b", r"\badopted\b", r"\bapproved\b", r"\b(?:is|are)\s+(?:used|offered|run|performed)\b", r"\buses\b",
        r"\b(?:is|are)\s+(?:a\s+)?part\s+of\b", r"\bparticipates?\s+in\b", r"\btakes?\s+part\b", r"\bis\s+a\s+member\b",
        r"\b(?:has|have)\s+(?:established|introduced|launched|set\s+up|built)\b", r"\bwas\s+(?:established|founded|launched|set\s+up)\b",
        r"\bruns\b", r"\boperates\b", r"\boffers\b", r"\bhosts\b", r"\bsince\s+(?:19|20)\d{2}\b", r"\bthere\s+(?:is|are)\b",
    ),
}  # fmt: skip
_COMPILED = {label: [re.compile(p, _I) for p in ps] for label, ps in _PATTERNS.items()}
# Frames that govern a later commitment word ("Målet är att regionen ska ...").
_FRAMES = ("plan", "proposal")


@dataclass(frozen=True, slots=True)
class Label:
    """A binding-ness label and the exact words that decided it."""

    label: str
    triggers: tuple[str, ...] = ()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, stripped of surrounding space
    (the project's one splitter, :func:`regionplans.ingest.sentences.passage_spans`)."""
    return passage_spans(text)


def triggers(text: str) -> dict[str, list[tuple[int, str]]]:
    """Every label's trigger words in ``text``: label → (offset, words as written)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for label, patterns in _COMPILED.items():
        hits = sorted({(m.start(), m.group(0)) for p in patterns for m in p.finditer(text)})
        if hits:
            found[label] = hits
    return found


def _words(hits: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for _, w in hits))


# Clauses joined by "men", "och" after a comma, or a semicolon are read one by one:
# "X är inte part i GMS, men deltar i arbetet" states a status.
_CLAUSES = re.compile(r",\s+(?:men|och|samt|but|and)\s+|;\s+", _I)
# A definition or background names the topic without anyone's position.
_DEFINITION = re.compile(
    r"\b(?:är|var)\s+(?:ett|en)\s+(?:\w+\s+){0,2}(?:område|metod|begrepp|teknik|sätt|samlingsnamn|term|analys|arbetssätt)\b"
    r"|\binnebär\s+att\b|\bdefinieras\b|\bkallas\b|\b(?:is|are)\s+an?\s+(?:\w+\s+){0,2}(?:method|approach|field|term|technique)\b"
    r"|\bmeans\s+that\b|\brefers\s+to\b",
    _I,
)


def label_text(text: str) -> Label:
    """The label of ``text`` (a sentence, or a list item with its lead-in) and the
    words that decided it. A statement with no wording of the other labels, that is
    neither a definition nor blocked by rule 1, states a fact: status."""
    flat = " ".join(text.split())
    if _QUESTION.search(flat):
        return Label("none", ("?",))
    clauses = [c for c in _CLAUSES.split(flat) if c.strip()] or [flat]
    found = [_clause_label(c) for c in clauses]
    positive = [lab for lab in found if lab.label != "none"]
    if positive:
        return min(positive, key=lambda lab: LABELS.index(lab.label))
    blocked = [lab for lab in found if lab.triggers]
    if blocked:
        return blocked[0]
    if _DEFINITION.search(flat) or len(flat.split()) < 4:
        return Label("none")
    return Label("status")


def _clause_label(clause: str) -> Label:
    core = _RELATIVE_NEED.sub(" ", _RELATIVE_NEGATION.sub(" ", _PURPOSE.sub(" ", clause)))
    for blocker in (_NEGATION, _VIEW):
        m = blocker.search(core)
        if m:
            return Label("none", (m.group(0),))
    found = triggers(core)
    prediction = _PREDICTION.search(core)
    if prediction:
        # "kommer att växa" is a forecast; its "kommer att" commits no one.
        found["commitment"] = [h for h in found.get("commitment", []) if not prediction.start() <= h[0] < prediction.end()]
        if not found["commitment"]:
            del found["commitment"]
        if not found:
            return Label("none", (prediction.group(0),))
    commit = found.get("commitment")
    if commit:
        first_commit = commit[0][0]
        frames = [(hits[0][0], label) for label in _FRAMES if (hits := found.get(label)) and hits[0][0] < first_commit]
        if frames:
            label = min(frames)[1]
            return Label(label, _words(found[label]))
        return Label("commitment", _words(commit))
    frames = [(found[label][0][0], label) for label in _FRAMES if label in found]
    if frames:
        label = min(frames)[1]
        return Label(label, _words(found[label]))
    if "status" in found:
        return Label("status", _words(found["status"]))
    return Label("none")


def strength(label: str) -> int:
    """Order of bindingness: 0 for commitment ... 4 for none."""
    return LABELS.index(label) if label in LABELS else len(LABELS)
