"""The gazetteer: every region reachable by its variants, inflections and slugs."""

from __future__ import annotations

import pytest

from regionplans.errors import ConfigError
from regionplans.ingest.regions import (
    NATIONAL_ACTORS,
    REGION_NAMES,
    REGIONS,
    find_actors,
    find_regions,
    region_mentions,
    resolve_region,
    resolve_row,
)


def test_there_are_21_regions_with_unique_names() -> None:
    assert len(REGIONS) == 21
    assert len(set(REGION_NAMES)) == 21


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.name)
def test_every_region_is_found_by_its_name_and_genitive(region) -> None:
    assert find_regions(f"Beslut i {region.name} idag.") == (region.name,)
    assert find_regions(f"{region.name}s regionstyrelse beslutade") == (region.name,)
    assert resolve_region(region.name.upper()) == region.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Region Östergötlands regionstyrelse", ("Region Östergötland",)),
        ("region-ostergotland", ("Region Östergötland",)),
        ("Du är på Region Örebro läns webbplats.", ("Region Örebro län",)),
        ("VGR och Region Skåne samarbetar", ("Västra Götalandsregionen", "Region Skåne")),
        ("Stockholms läns landsting", ("Region Stockholm",)),
        ("Landstinget i Värmland", ("Region Värmland",)),
        ("i Stockholmsregionen och nationellt", ("Region Stockholm",)),
    ],
)
def test_variants_inflections_and_slugs(text: str, expected: tuple[str, ...]) -> None:
    assert find_regions(text) == expected


def test_mentions_point_into_the_original_text() -> None:
    text = "Idag beslutade Region Östergötlands styrelse."
    (mention,) = region_mentions(text)
    assert text[mention.start : mention.end] == "Region Östergötlands"


def test_weak_names_can_be_excluded() -> None:
    assert find_regions("Vad gör Östergötland inom AI?") == ("Region Östergötland",)
    assert find_regions("Vad gör Östergötland inom AI?", include_weak=False) == ()


def test_city_names_alone_are_not_regions() -> None:
    assert find_regions("Örebro universitet och Karolinska Institutet i Stockholm") == ()


def test_actors_and_acronyms_are_case_sensitive() -> None:
    assert find_actors("Vi ingår i Genomic medicine Sweden, GMS, och Lifs förslag") == (
        "Genomic Medicine Sweden",
        "Lif",
    )
    assert find_actors("Life Science-strategin") == ()
    assert len({a.name for a in NATIONAL_ACTORS}) == len(NATIONAL_ACTORS)


def test_unknown_region_suggests_the_closest() -> None:
    with pytest.raises(ConfigError, match="did you mean 'Region Stockholm'"):
        resolve_region("Stokholm")
    assert resolve_region("vgr") == "Västra Götalandsregionen"
    assert resolve_row("Sveriges Kommuner och Regioner") == "SKR"
    assert resolve_row("GMS") == "Genomic Medicine Sweden"
