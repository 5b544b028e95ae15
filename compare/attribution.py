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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from regionplans.ingest.organisations import REGION_BODY_KINDS
from regionplans.ingest.regions import (
    NATIONAL_ACTORS,
    REGIONS,
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


def sentence_regions(sentence: str) -> tuple[str, ...]:
    """The regions a sentence names: by name, hospital, university or town, or else a
    healthcare region ("i norra sjukvårdsregionen") for each of its members."""
    found: list[str] = []
    groups: list[str] = []
    for m in organisation_mentions(sentence):
        if m.kind in ("region", "hospital", "university", "municipality", "place"):
            found.extend(m.regions)
        elif m.kind == "healthcare region":  # a cancer centre is an organisation, not a place
            groups.extend(m.regions)
    # "Region Västerbotten vill bygga ett center för hela norra sjukvårdsregionen" is
    # Västerbotten's position: a healthcare region counts when no region is named.
    return tuple(dict.fromkeys(found or groups))


def subject_is_other(row: str, sentence: str) -> bool:
    """Whether the sentence opens with another organisation as its subject ("Genomic
    Medicine Sweden har sedan 2018 ...", read for a region): a fact about that one."""
    mentions = organisation_mentions(sentence, with_places=False)
    if not mentions or mentions[0].start > 0 and len(sentence[: mentions[0].start].split()) > 2:
        return False
    first = mentions[0]
    return first.name != row and row not in first.regions


def speaks_for(doc: Document, sentence: str, row: str) -> bool:
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
    r"\b(?:regionen|regionens|vi|vår|vårt|våra|oss|sjukhuset|sjukhusets|centret|centrets|centrumet|"
    r"kliniken|laboratoriet|enheten|länet|länets|nämnden|regionstyrelsen|regionfullmäktige|"
    r"the\s+region|the\s+hospital|the\s+centre|the\s+center|the\s+clinic|the\s+unit|we|our|us)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def refers_to(row: str, sentence: str) -> bool:
    """Whether a sentence is about the row itself: names it (a region by name, hospital,
    university or town; an actor by name) or speaks in its voice ("regionen", "vi",
    "sjukhuset")."""
    if row in find_actors(sentence) or row in sentence_regions(sentence):
        return True
    if row not in {r.name for r in REGIONS}:  # an actor speaks of itself as "vi", not "regionen"
        return _first_person(sentence)
    return bool(_SELF.search(sentence))
