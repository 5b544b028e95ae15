"""How binding a sentence's wording is, in Swedish and English: commitment (a decision
or a committed action), plan (a plan, goal or intention), proposal (a proposal or a
need), status (what exists or is done), or none.

Rules, read in order, each returning the words that decided it so a reader can check:

1. a question states no position; a sentence that opens with a goal ("Målet för X är
   att", "Vår vision är att", "The aim is to") is a goal, negations in it included;
   one that opens with its purpose ("Syftet är att", "För att X ska ...", "Its purpose
   is to") states none unless its main clause has wording of its own;
2. reported speech (", säger Anna Berg") keeps the speaker's own wording ("Vi ska ...,
   säger ..." is a commitment) but a quoted view without it states no fact: ``none``;
3. a negated statement ("ska inte", "finns ingen", "varken"), a hope or a view
   ("hoppas", "menar att", "tror att"), or a forecast about a phenomenon
   ("precisionsmedicin kommer att växa", "väntas", "riskerar att", "kan behöva")
   states no position: ``none``;
4. subordinate clauses are set aside: purpose ("för att patienterna ska få ..."),
   relative clauses about a noun ("ett projekt som ska ge ...", "företag som vill
   ...", "en studie där det inte ..."), and an opening indirect question ("Hur X ska
   finansieras behöver utredas");
5. some words change the label of the words they contain: "ska kunna" and "ska år
   2030 vara ledande" state a goal, "vill se" and "kommer att behöva" a proposal;
6. a goal or plan frame ("avser", "har som ambition") or a proposal ("föreslår att",
   "bör") that comes before a commitment word governs it;
7. otherwise the most binding wording wins: commitment (including the present tense
   with a future time: "Planen tas fram senast 2024"), plan, proposal, status.

A list item without wording of its own takes its lead-in's label ("Under 2025 ska
regionen:"); a bare "att"-clause item is a point of a proposed decision.

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
    r"\b(?:inte|ej|aldrig|ingen|inget|inga|varken)\b(?!\s+(?:bara|minst|endast|enbart|heller\s+bara))"
    r"|\bsaknar\b|\bsaknas\b|\bavstyrker\b"
    r"|\bnone\s+of\b|\b(?:not|no|never|neither)\b(?!\s+(?:only|least|later\s+than))|\b\w+n't\b|\blacks?\b",
    _I,
)
_VIEW = re.compile(
    r"\bhoppas\b|\bförhoppning(?:en)?\b|\bmenar\s+att\b|\btycker\s+att\b|\benligt\s+(?:henne|honom|dem|professor)\b"
    r"|\btror\s+att\b|\b(?:vi|jag)\s+ser\s+att\b|\bthinks?\s+that\b|\bexpects?\s+(?:\S+\s+){1,6}?to\b"
    r"|^\s*(?:whether|huruvida)\b|\bär\s+(?:fortfarande\s+)?en\s+öppen\s+fråga\b|\bopen\s+question\b"
    r"|\bhopes?\s+(?:that|to)\b|\bbelieves?\s+that\b|\bargues?\s+that\b|\bin\s+(?:his|her|their)\s+view\b",
    _I,
)
_PREDICTION = re.compile(
    r"\bkommer\s+(?:sannolikt\s+|troligen\s+|förmodligen\s+)?att\s+(?:öka|växa|minska|stiga|sjunka|fördubblas|förändra|förändras|bli|spela|påverka|"
    r"innebära|leda|krävas|behövas|ha\s+stor|få\s+stor|utvecklas\s+snabbt)\b"
    r"|\bwill\s+(?:likely\s+|probably\s+)?(?:grow|increase|decrease|rise|fall|decline|double|change|become|play|transform|affect|lead|require|keep\s+growing|continue\s+to\s+grow)\b"
    r"|\b(?:is|are)\s+expected\s+to\s+(?:grow|increase|rise|fall|decline|double|become)\b"
    r"|\bförväntas\s+(?:öka|växa|stiga|sjunka|minska|fördubblas)\b"
    # A forecast with the subject between "kommer" and "att": "kommer kostnaderna att öka".
    r"|\bkommer\s+(?:[^\s,;:.]+\s+){1,8}?att\s+(?:öka|växa|minska|stiga|sjunka|fördubblas|förändras|behöva)\b"
    r"|\bväntas\b|\briskerar\b|\bbedöms\s+(?:\w+\s+)?(?:öka|minska|bli|leda|kosta|ge)\b|\bkan\s+på\s+sikt\b"
    r"|\bkan\s+(?:\w+\s+)?behöva\b|\bmay\s+(?:\w+\s+)?need\b",
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
    r"\b(?:som|där|vilket|vilka|which|who|that|where)\s+(?:(?!inte\b|ej\b|not\b)\w+\s+){0,2}(?:inte|ej|aldrig|not|never)\b"
    r"(?:(?!\b(?:kan|ska|skall|kommer|bör|måste|will|can|should|must)\b)[^,;:.])*",
    _I,
)

# Relative clauses about a noun's future ("ett projekt som ska ge ...", "företag som vill
# pröva ...", "a plan that sets out how the region will ...") describe the noun, not
# the main clause's position: set aside up to the clause's end.
_RELATIVE_INTENT = re.compile(
    r"(?<=\S\s)(?<!\bhar\s)(?<!\bha\s)(?:som|där|när|hur|vars|which|who|where|whose|how|when)\s+(?:[^\s,;:.]+\s+){0,4}?"
    r"(?:ska|skall|vill|will|wants?|vision\s+är)\b[^,;:.]*",
    _I,
)
# A sentence that opens with its purpose ("Syftet med planen är att ...", "För att AI
# ska kunna användas krävs ...", "Its purpose is to ...") states why, not who does what.
_PURPOSE_LEAD = re.compile(
    r"^\W*(?:(?:allt\s+)?(?:detta|det)\s+)?för\s+att\b|^\W*syftet\b(?:\s+[^\s,;:.]+){0,5}?\s+är\s+att\b"
    r"|^\W*(?:its|the|our|their)\s+(?:\w+\s+)?purpose\b(?:\s+[^\s,;:.]+){0,5}?\s+is\s+to\b|^\W*in\s+order\s+to\b",
    _I,
)
# A sentence that opens with a goal ("Målet för branschen är att ...", "Vår vision är
# att ...", "The aim is to ...") is a goal whatever its clause says, negations included.
_GOAL_LEAD = re.compile(
    r"^\W*(?:[^\s,;:.]+\s+){0,3}?(?:(?:del|över)?mål(?:et|en|sättningen)?|vision(?:en)?|ambitionen|avsikten|tanken"
    r"|strävan|prioriterat\s+område|aim|goal|objective|vision|ambition|intention)"
    r"(?:\s+[^\s,;:.]+){0,3}?\s+(?:är|is)\s+(?:att|to|that)\b",
    _I,
)
# Reported speech: ", säger Anna Berg, ..." or '," says ...' closing the sentence.
_REPORTED = re.compile(
    r"[,”\"»]\s*[”\"»]?\s*(?:säger|sa|berättar|skriver|konstaterar|says|said|writes)\s+\w[^;:]*$", _I
)
# A word that changes the label of the words it contains: "ska kunna delta" and "ska år
# 2030 vara ledande" state a goal, "vill se" asks of someone else.
_OVERRIDES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\bska\s+(?:(?!inte\b|ej\b)[^\s,;:.]+\s+){0,4}?kunna\b", _I), "plan", "commitment"),
    (re.compile(r"\bska\s+(?:(?:år\s+)?\d{4}\s+)?vara\s+(?:en\s+av\s+)?(?:[^\s,;:.]+\s+){0,3}?"
                r"(?:ledande|främsta|bästa|föregång\w*)\b", _I), "plan", "commitment"),
    (re.compile(r"\bvill\s+(?:\w+\s+)?se\b", _I), "proposal", "plan"),
    (re.compile(r"\bkommer\s+att\s+behöva\b", _I), "proposal", "commitment"),
)

# Present tense with a future time is a scheduled action: "Planen tas fram senast 2024",
# "Under hösten inleds arbetet".
_ACTS = (r"(?:tas\s+fram|genomförs|införs|inleds|startas|startar|revideras|följs\s+upp|byggs\s+ut|upphandlas"
         r"|inrättas|etableras|utvärderas|implementeras|påbörjas|tillträder)")
_WHEN = r"(?:senast|under\s+(?:hösten|våren|sommaren|(?:19|20)\d\d)|från\s+och\s+med|i\s+höst|i\s+vår|nästa\s+år)"
_SCHEDULED = (rf"\b{_ACTS}\b(?=[^.;]*\b{_WHEN}\b)", rf"\b{_WHEN}\b(?=[^.;]*\b{_ACTS}\b)")

_PATTERNS: dict[str, tuple[str, ...]] = {
    "commitment": (
        r"\bska\b", r"\bskall\b",
        r"\bkommer\s+att\b(?!\s+(?:inte|ej)\b)",
        # Inverted word order: "kommer arbetsgruppen (att) delta".
        rf"\bkommer\s+(?:(?!inte\b|ej\b|aldrig\b|att\b|från\b|med\b|in\b|fram\b|till\b){_W}\s+){{1,3}}(?:att\s+)?(?:delta|arbeta|verka|bidra|införa|genomföra|{_W}a)\b",
        r"\bhar\s+beslutat\b", r"\bbeslutade\b", r"\bhar\s+beslutats\b", r"\bbeslutades\b", r"\bbeslutat\b",
        *_SCHEDULED, r"\b(?:beslutet|the\s+decision)\s+(?:innebär|means)\b", r"\bfattade\s+(?:\w+\s+){0,2}beslut\b", r"\bbeslutar\s+att\b",
        # The subject between "kommer" and "att": "kommer en testbädd för AI att startas".
        r"\bkommer\s+(?!från\b|med\b|in\b|fram\b|till\b)(?:(?!inte\b|ej\b|aldrig\b|att\b)[^\s,;:.]+\s+){1,8}att\s+\w+", r"\bhar\s+fattat\s+beslut\b", r"\båtar\s+sig\b",
        r"\bwill\b", r"\bshall\b", r"\b(?:has|have)\s+decided\b", r"\bdecided\s+(?:\S+\s+){0,3}?(?:to|that|on)\b", r"\bwas\s+decided\b",
        r"\b(?:is|are)\s+committed\s+to\b", r"\bcommits?\s+to\b",
    ),
    "plan": (
        r"\bavser\b", r"\bplanerar\b", r"\bplaneras\b", r"\bsiktar\s+på\b", r"\bplanen\s+är\b", r"\bär\s+planerad\b",
        r"\bmålet\s+är\b", r"^\s*(?:del)?mål\s*\d*\s*:", r"^\s*(?:goal|objective)\s*\d*\s*:", r"\benligt\s+planen\b",
        r"\bvision\s+är\b", r"\bförväntas\b", r"\bönskemål\b", r"\bwish(?:es)?\s+to\b", r"\bmål(?:et|en)?\s+(?:är|är\s+att)\b", r"\bmålsättningen\s+är\b", r"\bhar\s+som\s+(?:mål|ambition|målsättning)\b",
        r"\bambitionen\s+är\b", r"\bvisionen\s+är\b", r"\bvill\b", r"\bdet\s+finns\s+(?:tankar|planer)\b",
        r"\btanken\s+är\b", r"\bser\s+fram\s+emot\b", r"\bsträvar\s+efter\b", r"\bsträvar\b", r"\bhar\s+för\s+avsikt\b", r"\bavsikten\s+är\b",
        r"\bplans?\s+to\b", r"\bwants?\s+(?:(?!to\b)\S+\s+){1,4}?to\b", r"\bplanned\b", r"\bplanning\s+to\b", r"\baims?\s+to\b", r"\bthe\s+aim\s+is\b",
        r"\bthe\s+goal\s+is\b", r"\bgoal\s+is\s+to\b", r"\bintends?\s+to\b", r"\bambition\s+is\b",
        r"\bvision\s+is\b", r"\bstrives?\s+to\b", r"\bis\s+expected\s+to\b", r"\bwants?\s+to\b", r"\bseeks?\s+to\b",
    ),
    "proposal": (
        r"\bföreslår\b", r"\bföreslås\b", r"\bbör\b", r"\bborde\b", r"\bbehöver\b", r"\bbehövs\b",
        r"\befterfrågar\b", r"\btillstyrker\b", r"\brekommenderar\b", r"\brekommenderas\b", r"\bvi\s+vill\s+se\b", r"\bmåste\b", r"\bkrävs\b",
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
# Each label's patterns as one alternation: where it finds nothing none of them can, and
# where it finds something no pattern matches earlier (the search starts there).
_ANY = {label: re.compile("|".join(f"(?:{p})" for p in ps), _I) for label, ps in _PATTERNS.items()}
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
        first = _ANY[label].search(text)
        if first is None:
            continue
        hits = sorted({(m.start(), m.group(0)) for p in patterns for m in p.finditer(text, first.start())})
        if hits:
            found[label] = hits
    return found


def _words(hits: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for _, w in hits))


# Clauses joined by "men", "och", "medan" after a comma, or a semicolon are read one by one:
# "X är inte part i GMS, men deltar i arbetet" states a status.
_CLAUSES = re.compile(r",\s+(?:men|och|samt|medan|but|and|whereas|while)\s+|;\s+", _I)
# A definition or background names the topic without anyone's position.
_DEFINITION = re.compile(
    r"\b(?:är|var)\s+(?:ett|en)\s+(?:\w+\s+){0,2}(?:område|metod|begrepp|teknik|sätt|samlingsnamn|term|analys|arbetssätt|form|typ)\b"
    r"|\binnebär\s+att\b|\bdefinieras\b|\bkallas\b|\b(?:is|are)\s+an?\s+(?:\w+\s+){0,2}(?:method|approach|field|term|technique)\b"
    r"|\bmeans\s+that\b|\brefers\s+to\b",
    _I,
)
# A list item that is a bare "att"-clause is a point of a proposed decision
# ("att anta inriktningen ...", the form of "föreslås besluta").
_ATT_ITEM = re.compile(r"^\W*att\s+\w")


def label_text(text: str, lead: str | None = None) -> Label:
    """The label of ``text`` (a sentence, or a list item) and the words that decided
    it. A list item without wording of its own takes its lead-in's label (``lead``:
    "Under 2025 ska regionen:", "Vårdanalys rekommenderar att:"). A statement with no
    wording of the other labels, that is neither a definition nor blocked by rule 1,
    states a fact: status."""
    own = _sentence_label(text)
    if lead and (not own.triggers or own.triggers == ("att",)):
        from_lead = _sentence_label(lead)
        if from_lead.triggers and from_lead.label != "none":
            return from_lead
    return own


def _sentence_label(text: str) -> Label:
    flat = " ".join(text.split())
    if _QUESTION.search(flat):
        return Label("none", ("?",))
    if m := _GOAL_LEAD.search(flat):
        return Label("plan", _words(triggers(m.group(0)).get("plan", [])) or (m.group(0).strip(),))
    reported = _REPORTED.search(flat)
    if reported:
        flat = flat[: reported.start()]
    if m := _PURPOSE_LEAD.search(flat):
        rest = _clause_label(flat)
        if rest.label in ("commitment", "plan", "proposal"):
            return rest
        return Label("none", (m.group(0).strip(),))
    clauses = [c for c in _CLAUSES.split(flat) if c.strip()] or [flat]
    found = [_clause_label(c) for c in clauses]
    positive = [lab for lab in found if lab.label != "none"]
    if positive:
        best = min(positive, key=lambda lab: LABELS.index(lab.label))
        if reported and best.label == "status":
            return Label("none", (reported.group(0).strip(" ,”\"»"),))
        return best
    if (m := _ATT_ITEM.match(flat)) and not any(lab.triggers for lab in found):
        return Label("proposal", ("att",))
    blocked = [lab for lab in found if lab.triggers]
    if blocked:
        return blocked[0]
    if reported:
        return Label("none", (reported.group(0).strip(" ,”\"»"),))
    if _DEFINITION.search(flat) or len(flat.split()) < 4:
        return Label("none")
    return Label("status")


# An indirect question opening a sentence ("Hur regionen ska finansiera X behöver
# utredas") is the subject, not a commitment: its words up to the modal are set aside.
_INDIRECT = re.compile(r"^\W*(?:hur|när|var|vem|how|when|where)\s+[^,;:.]*?\b(?:ska|skall|will)\b", _I)


def _clause_label(clause: str) -> Label:
    clause = _INDIRECT.sub(" ", clause)
    core = _RELATIVE_NEED.sub(" ", _RELATIVE_NEGATION.sub(" ", _PURPOSE.sub(" ", clause)))
    core = _RELATIVE_INTENT.sub(" ", core)
    for blocker in (_NEGATION, _VIEW):
        m = blocker.search(core)
        if m:
            return Label("none", (m.group(0),))
    found = triggers(core)
    for pattern, label, dropped in _OVERRIDES:
        for m in pattern.finditer(core):
            if dropped in found:
                found[dropped] = [h for h in found[dropped] if not m.start() <= h[0] < m.end()]
                if not found[dropped]:
                    del found[dropped]
            found.setdefault(label, []).append((m.start(), m.group(0)))
            found[label].sort()
    prediction = _PREDICTION.search(core)
    if prediction:
        # "kommer att växa" is a forecast; its "kommer att" commits no one, and "is
        # expected to become" plans nothing.
        for label in ("commitment", "plan"):
            kept = [h for h in found.get(label, []) if not prediction.start() <= h[0] < prediction.end()]
            if kept:
                found[label] = kept
            else:
                found.pop(label, None)
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
