"""Whose position a passage states: the comparison table's rows and their documents.

- A region's row reads the documents about that region: its own (published by the
  region or its hospital) first, then others' (a trade-press item, a university's news)
  as secondary sources.
- A national actor's row reads what it published (only its own voice and proposals
  count there, see ``compare.table``), and national texts whose title names it
  (secondary).
- A document about several regions (a healthcare region's plan) speaks for all of them,
  except in a sentence that names some of them: that sentence speaks for those.
- A national text (about no region) that names regions in a sentence — "GMC finns vid
  universitetssjukhusen i Umeå, Uppsala och Lund" — is secondary evidence for each region
  the sentence names, by name, hospital, university or town.
- A region merely named in another region's document ("traineeprogram med Region
  Gävleborg") is not that region's position.
- In a document about several regions, a collective reference speaks for the regions it
  covers, resolved within the document's regions from the gazetteer: "de övriga fem
  regionerna" (those the sentence or the one before does not name), "de fem
  länssjukvårdsregionerna" / "regions without a university hospital", "regionerna med
  universitetssjukvård", "samtliga regioner i sjukvårdsregionen" / "all seven
  regions". A number in the reference must equal the regions it resolves to, or it
  resolves to none.
- A definition ("Ett GMC är ...", "A Genomic Medicine Centre is ...") and a general
  statement about regions ("Det finns ett GMC i var och en av de sju regionerna") in
  a region's document are background, not the region's position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from regionplans.compare.labels import Label
from regionplans.ingest.organisations import HOSPITALS, REGION_BODY_KINDS
from regionplans.ingest.regions import (
    ACTOR_NAMES,
    NATIONAL_ACTORS,
    REGION_NAMES,
    REGIONS,
    OrgMention,
    find_actors,
    organisation,
    organisation_mentions,
)
from regionplans.records import Document

# Bodies the regions run together: their documents speak for all their member regions.
JOINT_KINDS = frozenset({"healthcare region"})


def own_body_of(publisher: str) -> tuple[str, ...]:
    """The regions whose own body (the region, its hospital) ``publisher`` is."""
    org = organisation(publisher) if publisher else None
    if org is None or org.kind not in REGION_BODY_KINDS:
        return ()
    return org.regions


def actor_of(publisher: str) -> str | None:
    """The national actor row of ``publisher``, if it is one."""
    org = organisation(publisher) if publisher else None
    return org.name if org is not None and org.is_row else None


def row_documents(documents: Sequence[Document]) -> dict[str, list[tuple[Document, bool]]]:
    """Row name → (document, secondary) pairs, own documents first."""
    rows: dict[str, list[tuple[Document, bool]]] = {r.name: [] for r in REGIONS}
    rows.update({a.name: [] for a in NATIONAL_ACTORS})
    for doc in documents:
        owners = own_body_of(doc.publisher)
        for region in doc.regions:
            if region in rows:
                rows[region].append((doc, region not in owners))
        actor = actor_of(doc.publisher)
        if actor in rows:  # an actor's remissvar on a region's plan is its own text too
            rows[actor].append((doc, False))
        if not doc.regions:
            for named in find_actors(doc.title):
                if named in rows and named != actor:
                    rows[named].append((doc, True))
    for pairs in rows.values():
        pairs.sort(key=lambda p: p[1])
    return rows


@lru_cache(maxsize=65536)
def _mentions(sentence: str, with_places: bool) -> tuple[OrgMention, ...]:
    # A table reads the same sentence for each of its rows and columns.
    return tuple(organisation_mentions(sentence, with_places=with_places))


@lru_cache(maxsize=65536)
def sentence_regions(sentence: str) -> tuple[str, ...]:
    """The regions a sentence names: by name, hospital, university or town, or else a
    healthcare region ("i norra sjukvårdsregionen") for each of its members."""
    found: list[str] = []
    shared: list[tuple[str, ...]] = []
    groups: list[str] = []
    for m in _mentions(sentence, True):
        if m.kind in ("region", "hospital", "university", "municipality", "place"):
            # A university of two regions (Mittuniversitetet) beside a region it belongs
            # to ("Region Västernorrland ... med Mittuniversitetet") means that region.
            if len(m.regions) > 1:
                shared.append(m.regions)
            else:
                found.extend(m.regions)
        elif m.kind == "healthcare region":  # a cancer centre is an organisation, not a place
            groups.extend(m.regions)
    for regions in shared:
        if not any(r in found for r in regions):
            found.extend(regions)
    # "Region Västerbotten vill bygga ett center för hela norra sjukvårdsregionen" is
    # Västerbotten's position: a healthcare region counts when no region is named.
    return tuple(dict.fromkeys(found or groups))


def subject_is_other(row: str, sentence: str) -> bool:
    """Whether the sentence opens with another organisation as its subject ("Genomic
    Medicine Sweden har sedan 2018 ...", read for a region), or a body the gazetteer
    does not name ("Kommunen har ...", read for the region): a fact about that one."""
    if row in REGION_NAMES and _OTHER_BODY.match(sentence):
        return True
    mentions = _mentions(sentence, False)
    if not mentions or mentions[0].start > 0 and len(sentence[: mentions[0].start].split()) > 2:
        return False
    first = mentions[0]
    # A regional cancer centre speaks for itself, not for the regions it serves; a
    # municipality ("Lunds kommun har ...") for itself, unless the region shares the
    # subject ("Umeå kommun och Region Västerbotten ...").
    if first.kind == "municipality":
        joint = len(mentions) > 1 and mentions[1].name == row and mentions[1].start - first.end <= 6
        return not joint
    return first.kind == "rcc" or (first.name != row and row not in first.regions)


# -- collective references ("de övriga fem regionerna") ---------------------------------

_NUMBERS = {
    "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
    "elva": 11, "tolv": 12, "both": 2, "båda": 2, "bägge": 2, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_N = r"(?:(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\s+)?"
_REGS = r"(?:regionerna|regioner|regions|county\s+councils)"
_OTHERS = re.compile(rf"\b(?:de\s+)?(?:övriga|andra|the\s+other|the\s+remaining|remaining)\s+{_N}(?:\w+\s+)?{_REGS}\b", re.I)
_NON_UNIVERSITY = re.compile(
    rf"\b(?:de\s+)?{_N}(?:länssjukvårdsregion(?:er|erna)|länssjukhusregion(?:er|erna)|"
    rf"{_REGS}\s+(?:utan|without)\s+(?:eget?\s+|a\s+)?universitetssjukhus|"
    rf"(?:county[\s-]+hospital|non[\s-]+university)\s+regions)\b", re.I)  # fmt: skip
_UNIVERSITY = re.compile(
    rf"\b(?:de\s+)?{_N}(?:{_REGS}\s+med\s+(?:universitetssjukvård|universitetssjukhus)|"
    rf"universitetssjukvårdsregion(?:er|erna)|{_REGS}\s+with\s+(?:a\s+)?university\s+hospitals?|"
    rf"university\s+hospitals)\b", re.I)  # fmt: skip
_ALL = re.compile(
    rf"\b(?:(?:samtliga|alla|de|all(?:\s+the)?|the|each\s+of\s+the|var\s+och\s+en\s+av\s+de)\s+{_N}{_REGS}"
    rf"|(?P<b>båda|bägge|both)\s+(?:{_REGS}|länen)|i\s+(?:hela\s+)?sjukvårdsregionen"
    rf"|in\s+the\s+(?:whole\s+)?healthcare\s+region)\b", re.I)  # fmt: skip


@lru_cache(maxsize=1)
def university_regions() -> frozenset[str]:
    """The regions that run a university hospital (from the gazetteer's hospitals)."""
    names = ("universitetssjukhus", "university hospital")
    return frozenset(
        r for h in HOSPITALS if any(n in v.casefold() for v in (h.name, *h.variants) for n in names) for r in h.regions
    )


def _count(m: re.Match[str]) -> int | None:
    word = (m.groupdict().get("n") or m.groupdict().get("b") or "").casefold()
    if not word:
        return None
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def collective_regions(sentence: str, doc_regions: Sequence[str], before: str = "") -> tuple[str, ...]:
    """The regions of a several-region document that a collective reference in the
    sentence covers ("övriga fem regioner": those neither the sentence nor ``before``,
    the text just before it, names); none when a stated number does not fit.

    >>> collective_regions("Övriga två regioner saknar det.", ("Region Uppsala", "Region Dalarna",
    ...                    "Region Gävleborg"), "Region Uppsala har ett centrum.")
    ('Region Dalarna', 'Region Gävleborg')
    """
    if len(doc_regions) < 2:
        return ()
    found: list[str] = []
    for pattern in (_OTHERS, _NON_UNIVERSITY, _UNIVERSITY, _ALL):
        for m in pattern.finditer(sentence):
            if pattern is _OTHERS:
                named = set(sentence_regions(sentence)) | set(sentence_regions(before))
                covered = [r for r in doc_regions if r not in named]
                if not named:
                    covered = []
            elif pattern is _NON_UNIVERSITY:
                covered = [r for r in doc_regions if r not in university_regions()]
            elif pattern is _UNIVERSITY:
                covered = [r for r in doc_regions if r in university_regions()]
            else:
                covered = list(doc_regions)
            n = _count(m)
            if pattern is _ALL and n is None and not m.group(0).casefold().startswith(("i ", "in ")):
                continue  # "alla regioner" is every region in the country, not the document's
            if covered and (n is None or n == len(covered)):
                found.extend(covered)
    return tuple(dict.fromkeys(found))


_GENERIC_SUBJECT = re.compile(r"^\W*(?:ett|en|varje|each|every|a|an)\s+", re.I)


def is_definition(sentence: str, words: Sequence[str]) -> bool:
    """Whether the sentence defines the topic rather than states a position: it opens
    with an indefinite or distributive subject that is the topic ("Ett GMC är ...",
    "Varje GMC ska ...", "A Genomic Medicine Centre is ...")."""
    m = _GENERIC_SUBJECT.match(sentence)
    if not m:
        return False
    rest = sentence[m.end() :].casefold()
    return any(rest.startswith(w.casefold()) for w in words if w)


# What an organisation is ("SwedenBIO är branschorganisationen för ...", "Vinnova är
# Sveriges innovationsmyndighet", "We are a non-profit association"): no position.
_IDENTITY = re.compile(
    r"^\W*(?:[A-ZÅÄÖ][\w-]*(?:\s+(?:[A-ZÅÄÖ\d][\w-]*|för|for|of))*?|Vi|We)\s+(?:är|is|are)\s+"
    # the noun is the predicate's, not a preposition's ("är medlem i nätverket" is a status)
    r"(?:(?:en|ett|den|det|de|the|a|an)\s+)?"
    r"(?:(?!(?:i|in|av|of|för|for|med|with|inom|within|till|to|på|on|at|vid|hos|under|genom|through)\b)[\w'’-]+\s+){0,3}?"
    r"[\w-]*(?:organisation|organization|förening|förbund|association|myndighet|agency|nätverk|network|"
    r"stiftelse|foundation|federation|program|programme|infrastruktur|infrastructure)\w*\b"
)


def describes_itself(sentence: str) -> bool:
    """Whether the sentence says what an organisation is (its presentation), which is
    no position on a topic."""
    return bool(_IDENTITY.match(sentence))


# Regions or the country spoken of in general: "regionerna", "landets regioner", "de sju
# regionerna med ...", "alla barn i Sverige".
_GENERAL = re.compile(
    r"\b(?:regionerna|regioner|landets\s+regioner|the\s+regions|regions|all\s+regions|i\s+sverige|"
    r"i\s+hela\s+landet|in\s+sweden|across\s+sweden|across\s+the\s+country|nationwide)\b",
    re.I,
)


_MANY_REGIONS = re.compile(
    r"\b(?:\d+\s+av\s+\d+|\d+\s+of\s+\d+|flera|många|några|samtliga|alla|de\s+flesta|få|several|many|most|"
    r"some|all)\s+(?:\w+\s+)?(?:regioner|regions)\b|"
    r"^\W*(?:flera|många|några|de\s+flesta|several|many|most|some)\s+av\s+(?:dem|those|them)\b|"
    r"^\W*(?:several|many|most|some)\s+of\s+(?:them|those)\b",
    re.I,
)


def describes_regions(sentence: str) -> bool:
    """Whether the sentence reports on a number of regions or of those asked ("15 av 21
    regioner har ...", "Flera regioner vill ...", "Flera av dem vi har talat med ..."):
    for a national actor, others' matter, not its position."""
    return bool(_MANY_REGIONS.search(sentence))


def speaks_of_regions_in_general(sentence: str) -> bool:
    """Whether the sentence speaks of regions or the country in general ("Det finns ett
    GMC i var och en av de sju regionerna med universitetssjukvård", "Sedan 2021 har
    alla barn i Sverige ...")."""
    return bool(_GENERAL.search(sentence))


# A sentence whose subject is another body than the region ("Kommunen har ingen egen
# strategi" in a municipality's text read for its region).
_OTHER_BODY = re.compile(
    r"^\W*(?:kommunen|kommunens|staden|stadens|universitetet|universitetets|högskolan|företaget|företagets|"
    r"the\s+municipality|the\s+city|the\s+university|the\s+company)\b",
    re.I,
)


def speaks_for(doc: Document, sentence: str, row: str, before: str = "") -> bool:
    """Whether a sentence of ``doc`` (read for ``row``) states ``row``'s position.

    - A document about several regions, by a body they run together (a healthcare
      region's council), speaks for all of them, but a sentence naming some of them
      speaks only for those; a region's own document speaks for the region, and for
      others only when its title names them (a joint document) or the sentence does.
    - A document about several regions by anyone else (a cancer centre's survey, a
      report) speaks for a region only in sentences that name it.
    - A national actor's sentence naming a region but not the actor is the region's
      matter ("Region Uppsala planerar ..." in an agency's report), not the actor's.
    """
    if row not in doc.regions:
        if not doc.regions:
            named = sentence_regions(sentence)
            return not named or row in find_actors(sentence) or _first_person(sentence)
        return True
    if len(doc.regions) < 2:
        return True
    in_doc = [r for r in sentence_regions(sentence) if r in doc.regions]
    if row in collective_regions(sentence, doc.regions, before):
        return True
    if in_doc:
        # "... utan regionen ska använda GMC Uppsala": the publisher's voice still speaks.
        return row in in_doc or (row in own_body_of(doc.publisher) and bool(_SELF.search(sentence)))
    org = organisation(doc.publisher) if doc.publisher else None
    if org is None:
        return False
    if org.kind in REGION_BODY_KINDS:
        # A region's own document speaks for it, and for the regions whose joint
        # document it is ("Kartläggning ... i Kronoberg och Blekinge"); a region it
        # only mentions ("remiss till GMC Uppsala") speaks through sentences naming it.
        return row in org.regions or row in sentence_regions(doc.title)
    return org.kind in JOINT_KINDS


def _first_person(sentence: str) -> bool:
    return bool(re.search(r"\b(?:vi|oss|vår|våra|we|our|us)\b", sentence, re.IGNORECASE))


_SELF = re.compile(
    r"\b(?:regionen|regionens|vi|vår|vårt|våra|oss|sjukhuset|sjukhusets|centret|centrets|centrumet|noden|nodens|"
    r"kliniken|laboratoriet|enheten|länet|länets|nämnden|regionstyrelsen|regionfullmäktige|"
    r"the\s+region|the\s+hospital|the\s+centre|the\s+center|the\s+clinic|the\s+unit|the\s+node|we|our|us)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def refers_to(row: str, sentence: str) -> bool:
    """Whether a sentence is about the row itself: names it (a region by name, hospital,
    university or town; an actor by name) or speaks in its voice ("regionen", "vi",
    "sjukhuset")."""
    # Its voice first (one small pattern; naming it takes every organisation's). An actor
    # speaks of itself as "vi", not "regionen"; a region is no actor and no actor a region.
    if row in REGION_NAMES:
        return bool(_SELF.search(sentence)) or row in sentence_regions(sentence)
    return _first_person(sentence) or row in find_actors(sentence)


_ACCORDING = re.compile(r"^\W*(?:enligt|according\s+to)\s", re.IGNORECASE)

_NEGATION_WORD = re.compile(r"\b(?:inte|ej|aldrig|ingen|inget|inga|saknar|saknas|not|no|never|lacks?)\b|n't\b", re.IGNORECASE)


def states_position(
    row: str, sentence: str, lab: Label, secondary: bool = True, covered: bool = False,
    doc_regions: int = 0,
) -> bool:  # fmt: skip
    """Whether a topic sentence states ``row``'s position: a plain fact or a negation
    only when it is about the row itself ("Regionen har ingen strategi", not "Många
    patienter får sin diagnos sent"), by name, voice or a collective reference that
    covers it (``covered``); a national actor's only in its own voice, as its
    proposal, or as what its own text commits to ("Vårdgivaren ska ..." in an agency's
    regulation); an agency's report describing others, or an actor's text about a
    region (``doc_regions`` > 0: "Planen slår fast att ..."), is not the actor's
    position. In a document about one region, a sentence about regions in general and
    not about the row is background ("Det finns ett GMC i var och en av de sju
    regionerna"); in a document about several, "regionerna" are its regions."""
    if row in ACTOR_NAMES:
        if lab.label != "proposal" and (describes_regions(sentence) or (doc_regions and not refers_to(row, sentence))):
            return False
        own_commitment = not secondary and lab.label in ("commitment", "plan") and not subject_is_other(row, sentence)
        return lab.label == "proposal" or own_commitment or refers_to(row, sentence)
    if _ACCORDING.match(sentence) and subject_is_other(row, sentence):
        return False  # "Enligt Genomic Medicine Sweden kommer ...": that one's view
    named = covered or refers_to(row, sentence)
    if not named and doc_regions < 2 and speaks_of_regions_in_general(sentence):
        return False
    if lab.label == "none":
        negated = any(_NEGATION_WORD.search(t) for t in lab.triggers)
        return negated and named and not subject_is_other(row, sentence)
    if lab.label == "status" and not lab.triggers:
        # A plain fact must be a sentence (not a heading) about the row.
        return named and bool(re.search(r"[.!?]\W*$", sentence))
    # Another body's fact or recommendation ("RCC Mellansverige rekommenderar att ... i
    # alla sju regioner") is that body's position, whoever it covers; "Lif skriver att
    # Region Uppsala avser ..." still reports Uppsala's plan.
    return not (lab.label in ("status", "proposal") and subject_is_other(row, sentence))
