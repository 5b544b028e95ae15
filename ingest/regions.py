"""The gazetteer: Sweden's 21 regions and the national actors, with their name variants.

Used by ingest (which regions a document is about, who published it), by search
(a region named in a query) and by the comparison table (its rows).

Matching runs on a folded copy of the text (case-folded, å/ä/ö → a/a/o, hyphens
and underscores → spaces) so that "Region Östergötlands", "REGION ÖSTERGÖTLAND"
and a URL slug "region-ostergotland" all meet the same variant. Folding keeps
every character's position, so match offsets point into the original text.

>>> find_regions("Beslut i Region Östergötlands regionstyrelse och i VGR")
('Region Östergötland', 'Västra Götalandsregionen')
>>> resolve_region("Stokholm")
Traceback (most recent call last):
...
regionplans.errors.UnknownNameError: unknown region 'Stokholm'; did you mean 'Region Stockholm'?
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from regionplans.errors import UnknownNameError
from regionplans.ingest.organisations import NATIONAL, Organisation, all_organisations, places


@dataclass(frozen=True, slots=True)
class Region:
    """One of the 21 regions. ``variants`` are official and older names (landsting)
    and common short forms; ``weak`` are bare place names that usually, but not
    always, mean the region (a county or landscape, never a city name)."""

    name: str
    short: str
    variants: tuple[str, ...]
    weak: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()


def _region(short: str, *extra: str, weak: tuple[str, ...] = (), acronyms: tuple[str, ...] = (),
            name: str | None = None) -> Region:
    name = name or f"Region {short}"
    base = (name, f"Region {short}", f"Landstinget i {short}", f"Landstinget {short}")
    return Region(name=name, short=short, variants=tuple(dict.fromkeys(base + extra)),
                  weak=weak, acronyms=acronyms)


REGIONS: tuple[Region, ...] = (
    _region("Stockholm", "Stockholms läns landsting", "Stockholmsregionen", "Stockholm Region",
            acronyms=("SLL",)),
    _region("Uppsala", "Landstinget i Uppsala län", "Uppsala läns landsting", "Region Uppsala län"),
    _region("Sörmland", "Landstinget Sörmland", "Region Södermanland", "Södermanlands läns landsting",
            weak=("Sörmland", "Södermanland")),
    _region("Östergötland", "Östergötlands läns landsting", weak=("Östergötland",)),
    _region("Jönköpings län", "Landstinget i Jönköpings län", "Region Jönköping",
            "Jönköpings läns landsting"),
    _region("Kronoberg", "Landstinget Kronoberg", "Kronobergs läns landsting", weak=("Kronoberg",)),
    _region("Kalmar län", "Landstinget i Kalmar län", "Region Kalmar", "Kalmar läns landsting"),
    _region("Gotland", "Gotlands kommun", weak=("Gotland",)),
    _region("Blekinge", "Landstinget Blekinge", "Blekinge läns landsting", weak=("Blekinge",)),
    _region("Skåne", "Skånes läns landsting", "Region Skane", weak=("Skåne",)),
    _region("Halland", "Landstinget Halland", "Hallands läns landsting", weak=("Halland",)),
    _region("Västra Götaland", "Västra Götalandsregionen", "Region Västra Götaland",
            "Västra Götaland Region", weak=("Västra Götaland",), acronyms=("VGR",),
            name="Västra Götalandsregionen"),
    _region("Värmland", "Landstinget i Värmland", "Värmlands läns landsting", weak=("Värmland",)),
    _region("Örebro län", "Örebro läns landsting", "Region Örebro", "Landstinget i Örebro län"),
    _region("Västmanland", "Landstinget Västmanland", "Västmanlands läns landsting",
            weak=("Västmanland",)),
    _region("Dalarna", "Landstinget Dalarna", "Dalarnas läns landsting", weak=("Dalarna",)),
    _region("Gävleborg", "Landstinget Gävleborg", "Gävleborgs läns landsting", weak=("Gävleborg",)),
    _region("Västernorrland", "Landstinget Västernorrland", "Västernorrlands läns landsting",
            weak=("Västernorrland",)),
    _region("Jämtland Härjedalen", "Jämtlands läns landsting", "Region Jämtland",
            weak=("Jämtland", "Härjedalen")),
    _region("Västerbotten", "Västerbottens läns landsting", weak=("Västerbotten",)),
    _region("Norrbotten", "Norrbottens läns landsting", weak=("Norrbotten",)),
)

# National actors with a row of their own in comparison tables.
NATIONAL_ACTORS: tuple[Organisation, ...] = tuple(o for o in NATIONAL if o.is_row)

REGION_NAMES: tuple[str, ...] = tuple(r.name for r in REGIONS)
ACTOR_NAMES: tuple[str, ...] = tuple(a.name for a in NATIONAL_ACTORS)

# Swedish inflection endings seen on region names: genitive -s, definite -en/-ens.
_SUFFIX = r"(?:s|en|ens)?"


class _FoldTable(dict[int, str]):
    """``str.translate``'s table for :func:`fold`, filled one character at a time (up to
    ``LIMIT`` characters: a text of every code point cannot grow it without end)."""

    LIMIT = 8192

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFKD", low)[0]
        out = " " if base in "-_" else base
        if len(self) < self.LIMIT:
            self[cp] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Case-fold and strip diacritics, keeping the length: offsets stay valid.

    >>> fold("Västra Götaland-regionen")
    'vastra gotaland regionen'
    """
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Mention:
    """A region or actor named in a text at ``start:end`` (offsets into the original)."""

    name: str
    start: int
    end: int
    weak: bool


def _pattern(variants: tuple[str, ...]) -> re.Pattern[str] | None:
    if not variants:
        return None
    alternatives = sorted({re.escape(fold(v)).replace(r"\ ", r"\s+") for v in variants},
                          key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")" + _SUFFIX + r"(?!\w)")


def _acronym_pattern(acronyms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not acronyms:
        return None
    # Acronyms match case-sensitively on the original text ("Lif", not "lif").
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, acronyms)) + r")s?(?!\w)")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, bool, re.Pattern[str] | None, re.Pattern[str] | None, bool], ...]:
    rows = []
    for region in REGIONS:
        rows.append((region.name, False, _pattern(region.variants), _acronym_pattern(region.acronyms), True))
        if region.weak:
            rows.append((region.name, True, _pattern(region.weak), None, True))
    for actor in NATIONAL_ACTORS:
        rows.append((actor.name, False, _pattern(actor.variants), _acronym_pattern(actor.acronyms), False))
    return tuple(rows)


def _mentions(text: str, *, regions: bool) -> list[Mention]:
    folded = fold(text)
    found: list[Mention] = []
    for name, weak, pattern, acronym, is_region in _compiled():
        if is_region != regions:
            continue
        if pattern is not None:
            found.extend(Mention(name, m.start(), m.end(), weak) for m in pattern.finditer(folded))
        if acronym is not None:
            found.extend(Mention(name, m.start(), m.end(), weak) for m in acronym.finditer(text))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    # A weak match inside a strong one ("Östergötland" in "Region Östergötland") is the same mention.
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def region_mentions(text: str) -> list[Mention]:
    """Every region named in ``text``, in order, with offsets."""
    return _mentions(text, regions=True)


def actor_mentions(text: str) -> list[Mention]:
    """Every national actor named in ``text``, in order, with offsets."""
    return _mentions(text, regions=False)


def find_regions(text: str, *, include_weak: bool = True) -> tuple[str, ...]:
    """Canonical names of the regions named in ``text``, in order of first mention."""
    names = (m.name for m in region_mentions(text) if include_weak or not m.weak)
    return tuple(dict.fromkeys(names))


def find_actors(text: str) -> tuple[str, ...]:
    """Canonical names of the national actors named in ``text``, in order of first mention."""
    return tuple(dict.fromkeys(m.name for m in actor_mentions(text)))


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for region in REGIONS:
        for key in (region.name, region.short, *region.variants, *region.weak, *region.acronyms):
            table[fold(key)] = region.name
    return table


@lru_cache(maxsize=1)
def _actor_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for actor in NATIONAL_ACTORS:
        for key in (actor.name, *actor.variants, *actor.acronyms):
            table[fold(key)] = actor.name
    return table


def _resolve(name: str, table: dict[str, str], what: str) -> str:
    key = " ".join(fold(name).split())
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:  # genitive
        return table[key[:-1]]
    close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
    raise UnknownNameError(what, name, table[close[0]] if close else "", tuple(sorted(set(table.values()))))


def resolve_region(name: str) -> str:
    """The canonical region name for a variant ("VGR", "region örebro", "Skåne").

    Raises :class:`~regionplans.errors.UnknownNameError` naming the closest region when nothing matches.
    """
    return _resolve(name, _lookup(), "region")


def resolve_row(name: str) -> str:
    """A region or a national actor, for anything that accepts both (comparison rows)."""
    table = {**_lookup(), **_actor_lookup()}
    return _resolve(name, table, "region or national actor")


# -- organisations and places -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrgMention:
    """An organisation or place named at ``start:end``: who, what kind, which regions.

    ``kind`` is the organisation's kind, or ``place`` for a bare town or county name.
    """

    name: str
    kind: str
    regions: tuple[str, ...]
    start: int
    end: int


# The regions' own web sites (a source URL or a page's canonical link names its publisher).
REGION_DOMAINS: dict[str, tuple[str, ...]] = {
    "Region Stockholm": ("regionstockholm.se", "sll.se"), "Region Uppsala": ("regionuppsala.se",),
    "Region Sörmland": ("regionsormland.se",), "Region Östergötland": ("regionostergotland.se",),
    "Region Jönköpings län": ("rjl.se",), "Region Kronoberg": ("regionkronoberg.se",),
    "Region Kalmar län": ("regionkalmar.se",), "Region Gotland": ("gotland.se",),
    "Region Blekinge": ("regionblekinge.se",), "Region Skåne": ("skane.se",),
    "Region Halland": ("regionhalland.se",), "Västra Götalandsregionen": ("vgregion.se",),
    "Region Värmland": ("regionvarmland.se",), "Region Örebro län": ("regionorebrolan.se",),
    "Region Västmanland": ("regionvastmanland.se",), "Region Dalarna": ("regiondalarna.se",),
    "Region Gävleborg": ("regiongavleborg.se",), "Region Västernorrland": ("rvn.se",),
    "Region Jämtland Härjedalen": ("regionjh.se",), "Region Västerbotten": ("regionvasterbotten.se",),
    "Region Norrbotten": ("norrbotten.se",),
}  # fmt: skip


@lru_cache(maxsize=1)
def _everyone() -> tuple[Organisation, ...]:
    regions = tuple(
        Organisation(r.name, "region", r.variants, r.acronyms, (r.name,), REGION_DOMAINS.get(r.name, ()))
        for r in REGIONS
    )
    return regions + all_organisations()


@lru_cache(maxsize=1)
def _org_patterns() -> tuple[re.Pattern[str], dict[str, Organisation], re.Pattern[str], dict[str, Organisation]]:
    """One alternation over every folded variant and one over every acronym (a single
    pass over a text, whatever the size of the gazetteer)."""
    by_variant: dict[str, Organisation] = {}
    by_acronym: dict[str, Organisation] = {}
    for org in _everyone():
        for variant in org.variants:
            by_variant.setdefault(" ".join(fold(variant).split()), org)
        for acronym in org.acronyms:
            by_acronym.setdefault(acronym, org)
    alternatives = sorted((re.escape(v).replace(r"\ ", r"\s+") for v in by_variant), key=len, reverse=True)
    variant_re = re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")" + _SUFFIX + r"(?!\w)")
    acronym_re = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(by_acronym, key=len, reverse=True))) + r")s?(?!\w)")
    return variant_re, by_variant, acronym_re, by_acronym


@lru_cache(maxsize=1)
def _place_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    table = {fold(name): regions for name, regions in places().items()}
    from regionplans.ingest.organisations import counties

    for county, region in counties().items():
        table[fold(county)] = (region,)
    for known in REGIONS:  # landscapes and counties named bare: "Dalarna", "Sörmland"
        for weak in known.weak:
            table[fold(weak)] = (known.name,)
    alternatives = sorted((re.escape(k).replace(r"\ ", r"\s+") for k in table), key=len, reverse=True)
    # "Uppsalaregionen", "Stockholm–Uppsalaregionen": the region around a town.
    return re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")(?:s?regionens?|s)?(?!\w)"), table


def organisation_mentions(text: str, *, with_places: bool = True) -> list[OrgMention]:
    """Every region, organisation and (``with_places``) town or county named in
    ``text``, in order, longest first where they overlap ("Umeå universitet" is the
    university, not the town)."""
    folded = fold(text)
    variant_re, by_variant, acronym_re, by_acronym = _org_patterns()
    found: list[OrgMention] = []
    for m in variant_re.finditer(folded):
        org = by_variant[" ".join(m.group(1).split())]
        found.append(OrgMention(org.name, org.kind, org.regions, m.start(), m.end()))
    for m in acronym_re.finditer(text):
        org = by_acronym[m.group(1)]
        found.append(OrgMention(org.name, org.kind, org.regions, m.start(), m.end()))
    if with_places:
        place_re, table = _place_pattern()
        for m in place_re.finditer(folded):
            # A bare town name counts only capitalised as written ("Lund", not "lund").
            if text[m.start()].isupper():
                found.append(OrgMention(text[m.start() : m.end()], "place", table[m.group(1)], m.start(), m.end()))
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    kept: list[OrgMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


@lru_cache(maxsize=1)
def _org_lookup() -> dict[str, Organisation]:
    table: dict[str, Organisation] = {}
    for org in _everyone():
        for key in (org.name, *org.variants, *org.acronyms, *org.domains):
            table.setdefault(" ".join(fold(key).split()), org)
    return table


def organisation(name: str) -> Organisation | None:
    """The organisation a name, variant, acronym or web domain stands for, or None.

    A longer string ("Nyheter - Sahlgrenska Universitetssjukhuset", "www.vinnova.se")
    resolves to the organisation it names, when it names exactly one.
    """
    key = " ".join(fold(name).split()).removeprefix("www.")
    table = _org_lookup()
    if key in table:
        return table[key]
    host = re.sub(r"^https?://", "", key).split("/")[0].removeprefix("www.")
    for domain_key in (host, ".".join(host.split(".")[-2:])):
        if domain_key in table:
            return table[domain_key]
    named = {m.name for m in organisation_mentions(name, with_places=False)}
    if len(named) == 1:
        return table.get(" ".join(fold(named.pop()).split()))
    return None
