"""Who is who beyond the 21 regions: hospitals, universities, healthcare regions,
municipalities, agencies, organisations and the press, each tied to the regions it
belongs to.

Used to tell who published a document (a page of Sahlgrenska is Sahlgrenska's, about
Västra Götalandsregionen) and which regions a text is about when it names them only
through a hospital, a university, a city or a healthcare region. The 290
municipalities and their counties come from SCB's codes (``data/municipalities.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Kinds that are comparison rows of their own (national actors), and kinds whose
# documents speak for a region (their publisher is the region's own body).
ROW_KINDS = frozenset({"network", "industry", "association", "government", "agency", "infrastructure"})
REGION_BODY_KINDS = frozenset({"region", "hospital"})


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation or place with the regions it belongs to.

    ``kind``: region, hospital, university, municipality, healthcare region, rcc,
    agency (health and research), authority (other agencies), network, association,
    industry, government, infrastructure, press, other.
    ``variants`` match case-insensitively (folded); ``acronyms`` case-sensitively;
    ``domains`` are web sites it publishes on (for a source URL or a site name).
    """

    name: str
    kind: str
    variants: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    @property
    def is_row(self) -> bool:
        return self.kind in ROW_KINDS


def _o(name: str, kind: str, *variants: str, acr: tuple[str, ...] = (), reg: tuple[str, ...] = (),
       dom: tuple[str, ...] = ()) -> Organisation:  # fmt: skip
    # An upper-case name ("SKR", "RISE") matches as written only: folded, it is a word.
    if name.isupper():
        return Organisation(name, kind, tuple(dict.fromkeys(variants)), tuple(dict.fromkeys((name, *acr))), reg, dom)
    return Organisation(name, kind, tuple(dict.fromkeys((name, *variants))), acr, reg, dom)


STO, UPP, SOR, OST = "Region Stockholm", "Region Uppsala", "Region Sörmland", "Region Östergötland"
JON, KRO, KAL, GOT = "Region Jönköpings län", "Region Kronoberg", "Region Kalmar län", "Region Gotland"
BLE, SKA, HAL, VGR = "Region Blekinge", "Region Skåne", "Region Halland", "Västra Götalandsregionen"
VRM, ORE, VML, DAL = "Region Värmland", "Region Örebro län", "Region Västmanland", "Region Dalarna"
GAV, VNL, JAM = "Region Gävleborg", "Region Västernorrland", "Region Jämtland Härjedalen"
VBN, NBN = "Region Västerbotten", "Region Norrbotten"

NORRA = (NBN, VBN, VNL, JAM)
MELLAN = (UPP, ORE, DAL, GAV, VRM, VML, SOR)
SYDOST = (OST, JON, KAL)
SODRA = (SKA, BLE, KRO, HAL)
VASTRA = (VGR, HAL)

HOSPITALS: tuple[Organisation, ...] = (
    _o("Karolinska Universitetssjukhuset", "hospital", "Karolinska universitetssjukhuset",
       "Karolinska University Hospital", "Karolinska sjukhuset", reg=(STO,), dom=("karolinska.se",)),
    _o("Danderyds sjukhus", "hospital", reg=(STO,)),
    _o("Södersjukhuset", "hospital", reg=(STO,), acr=("SÖS",)),
    _o("Akademiska sjukhuset", "hospital", "Uppsala University Hospital",
       reg=(UPP,), dom=("akademiska.se",)),
    _o("Mälarsjukhuset", "hospital", reg=(SOR,)),
    _o("Nyköpings lasarett", "hospital", reg=(SOR,)),
    _o("Universitetssjukhuset i Linköping", "hospital", "Linköpings universitetssjukhus",
       "Universitetssjukhuset Linköping", "Linköping University Hospital", reg=(OST,)),
    _o("Vrinnevisjukhuset", "hospital", reg=(OST,)),
    _o("Länssjukhuset Ryhov", "hospital", "Ryhov", "Ryhovs sjukhus", reg=(JON,)),
    _o("Höglandssjukhuset", "hospital", reg=(JON,)),
    _o("Värnamo sjukhus", "hospital", reg=(JON,)),
    _o("Centrallasarettet Växjö", "hospital", "Centrallasarettet i Växjö", reg=(KRO,)),
    _o("Ljungby lasarett", "hospital", reg=(KRO,)),
    _o("Länssjukhuset i Kalmar", "hospital", "Länssjukhuset Kalmar", reg=(KAL,)),
    _o("Västerviks sjukhus", "hospital", reg=(KAL,)),
    _o("Visby lasarett", "hospital", reg=(GOT,)),
    _o("Blekingesjukhuset", "hospital", reg=(BLE,)),
    _o("Skånes universitetssjukhus", "hospital", "Skåne University Hospital", acr=("SUS",),
       reg=(SKA,)),
    _o("Centralsjukhuset Kristianstad", "hospital", "Centralsjukhuset i Kristianstad", reg=(SKA,)),
    _o("Helsingborgs lasarett", "hospital", reg=(SKA,)),
    _o("Hallands sjukhus", "hospital", reg=(HAL,)),
    _o("Sahlgrenska Universitetssjukhuset", "hospital", "Sahlgrenska universitetssjukhuset",
       "Sahlgrenska University Hospital", "Sahlgrenska", reg=(VGR,), dom=("sahlgrenska.se",)),
    _o("Skaraborgs sjukhus", "hospital", reg=(VGR,)),
    _o("Södra Älvsborgs sjukhus", "hospital", reg=(VGR,)),
    _o("NU-sjukvården", "hospital", reg=(VGR,)),
    _o("Centralsjukhuset i Karlstad", "hospital", "Centralsjukhuset Karlstad", reg=(VRM,)),
    _o("Universitetssjukhuset Örebro", "hospital", "Universitetssjukhuset i Örebro",
       "Örebro University Hospital", acr=("USÖ",), reg=(ORE,)),
    _o("Västmanlands sjukhus", "hospital", "Västerås sjukhus", "Västmanlands sjukhus Västerås", reg=(VML,)),
    _o("Falu lasarett", "hospital", reg=(DAL,)),
    _o("Gävle sjukhus", "hospital", reg=(GAV,)),
    _o("Hudiksvalls sjukhus", "hospital", reg=(GAV,)),
    _o("Länssjukhuset Sundsvall-Härnösand", "hospital", "Sundsvalls sjukhus", reg=(VNL,)),
    _o("Örnsköldsviks sjukhus", "hospital", reg=(VNL,)),
    _o("Östersunds sjukhus", "hospital", reg=(JAM,)),
    _o("Norrlands universitetssjukhus", "hospital", "Umeå University Hospital", acr=("NUS",),
       reg=(VBN,)),
    _o("Skellefteå lasarett", "hospital", reg=(VBN,)),
    _o("Sunderby sjukhus", "hospital", reg=(NBN,)),
)



def _gmc(place: str, region: str) -> Organisation:
    """A Genomic Medicine Centre: Genomic Medicine Sweden's centre at one university hospital."""
    return _o(f"GMC {place}", "hospital", f"Genomic Medicine Centre {place}", f"Genomic Medicine Center {place}",
              f"Genomiskt medicincentrum {place}", f"Centrum för genomisk medicin {place}", reg=(region,))  # fmt: skip


GENOMIC_CENTRES: tuple[Organisation, ...] = (
    _gmc("Norr", VBN), _gmc("Uppsala", UPP), _gmc("Karolinska", STO), _gmc("Örebro", ORE),
    _gmc("Sydöst", OST), _gmc("Väst", VGR), _gmc("Syd", SKA),
)  # fmt: skip

UNIVERSITIES: tuple[Organisation, ...] = (
    _o("Karolinska Institutet", "university", acr=("KI",), reg=(STO,), dom=("ki.se",)),
    _o("KTH", "university", "Kungliga Tekniska högskolan", "KTH Royal Institute of Technology", reg=(STO,)),
    _o("Stockholms universitet", "university", "Stockholm University", reg=(STO,)),
    _o("Uppsala universitet", "university", "Uppsala University", reg=(UPP,), dom=("uu.se",)),
    _o("Sveriges lantbruksuniversitet", "university", acr=("SLU",), reg=(UPP,)),
    _o("Linköpings universitet", "university", "Linköping University", acr=("LiU",), reg=(OST,)),
    _o("Lunds universitet", "university", "Lund University", reg=(SKA,), dom=("lu.se",)),
    _o("Malmö universitet", "university", "Malmö University", reg=(SKA,)),
    _o("Göteborgs universitet", "university", "University of Gothenburg", reg=(VGR,), dom=("gu.se",)),
    _o("Chalmers tekniska högskola", "university", "Chalmers", reg=(VGR,)),
    _o("Umeå universitet", "university", "Umeå University", reg=(VBN,), dom=("umu.se",)),
    _o("Örebro universitet", "university", "Örebro University", reg=(ORE,), dom=("oru.se",)),
    _o("Luleå tekniska universitet", "university", "Luleå University of Technology", acr=("LTU",), reg=(NBN,)),
    _o("Karlstads universitet", "university", "Karlstad University", reg=(VRM,)),
    _o("Mittuniversitetet", "university", "Mid Sweden University", reg=(VNL, JAM)),
    _o("Linnéuniversitetet", "university", "Linnaeus University", reg=(KRO, KAL)),
    _o("Högskolan i Halmstad", "university", "Halmstad University", reg=(HAL,)),
    _o("Mälardalens universitet", "university", "Mälardalen University", reg=(VML, SOR)),
    _o("Högskolan Dalarna", "university", reg=(DAL,)),
    _o("Högskolan i Gävle", "university", reg=(GAV,)),
    _o("Blekinge tekniska högskola", "university", acr=("BTH",), reg=(BLE,)),
    _o("Jönköping University", "university", "Högskolan i Jönköping", reg=(JON,)),
    _o("Högskolan i Skövde", "university", reg=(VGR,)),
    _o("Högskolan Kristianstad", "university", reg=(SKA,)),
)

HEALTHCARE_REGIONS: tuple[Organisation, ...] = (
    _o("Norra sjukvårdsregionen", "healthcare region", "Norra sjukvårdsregionförbundet",
       "Forum Norr", "norra sjukvårdsregionen", "Northern Healthcare Region", reg=NORRA),
    _o("Sjukvårdsregion Mellansverige", "healthcare region", "Uppsala-Örebro sjukvårdsregion",
       "Uppsala–Örebro sjukvårdsregion", "Samverkansnämnden Uppsala-Örebro", reg=MELLAN),
    _o("Sjukvårdsregion Stockholm-Gotland", "healthcare region", "Stockholm-Gotland sjukvårdsregion",
       "sjukvårdsregion Stockholm–Gotland", reg=(STO, GOT)),
    _o("Sydöstra sjukvårdsregionen", "healthcare region", "Sydöstra sjukvårdsregionens",
       reg=SYDOST),
    _o("Södra sjukvårdsregionen", "healthcare region", "Södra regionvårdsnämnden", reg=SODRA),
    _o("Västra sjukvårdsregionen", "healthcare region", reg=VASTRA),
    _o("Regionalt cancercentrum Norr", "rcc", "RCC Norr", reg=NORRA),
    _o("Regionalt cancercentrum Mellansverige", "rcc", "RCC Mellansverige",
       "Regionalt cancercentrum Uppsala Örebro", "RCC Uppsala Örebro", reg=MELLAN),
    _o("Regionalt cancercentrum Stockholm Gotland", "rcc", "RCC Stockholm Gotland", reg=(STO, GOT)),
    _o("Regionalt cancercentrum Sydöst", "rcc", "RCC Sydöst", reg=SYDOST),
    _o("Regionalt cancercentrum Syd", "rcc", "RCC Syd", reg=SODRA),
    _o("Regionalt cancercentrum Väst", "rcc", "RCC Väst", reg=VASTRA),
)

NATIONAL: tuple[Organisation, ...] = (
    _o("Genomic Medicine Sweden", "network", acr=("GMS",), dom=("genomicmedicine.se",)),
    _o("Lif", "industry", "Läkemedelsindustriföreningen", "Lif – de forskande läkemedelsföretagen",
       "de forskande läkemedelsföretagen", acr=("Lif", "LIF"), dom=("lif.se",)),
    _o("SKR", "association", "Sveriges Kommuner och Regioner", "Sveriges Kommuner och Landsting",
       "Swedish Association of Local Authorities and Regions", acr=("SKR", "SKL"), dom=("skr.se",)),
    _o("Regeringen", "government", "Regeringskansliet", "Socialdepartementet", "Näringsdepartementet",
       "Utbildningsdepartementet", "Swedish Government", "Government Offices of Sweden",
       "Kontoret för life science", "Life science-kontoret", dom=("regeringen.se",)),
    _o("Socialstyrelsen", "agency", "National Board of Health and Welfare", dom=("socialstyrelsen.se",)),
    _o("Folkhälsomyndigheten", "agency", "Public Health Agency of Sweden", dom=("folkhalsomyndigheten.se",)),
    _o("Vårdanalys", "agency", "Myndigheten för vård- och omsorgsanalys",
       "Swedish Agency for Health and Care Services Analysis", dom=("vardanalys.se",)),
    _o("Vetenskapsrådet", "agency", "Swedish Research Council", dom=("vr.se",)),
    _o("Läkemedelsverket", "agency", "Swedish Medical Products Agency", dom=("lakemedelsverket.se",)),
    _o("E-hälsomyndigheten", "agency", "Swedish eHealth Agency", dom=("ehalsomyndigheten.se",)),
    _o("TLV", "agency", "Tandvårds- och läkemedelsförmånsverket", acr=("TLV",), dom=("tlv.se",)),
    _o("Vinnova", "agency", "Sveriges innovationsmyndighet", "Sweden's Innovation Agency", dom=("vinnova.se",)),
    _o("SciLifeLab", "infrastructure", "Science for Life Laboratory", dom=("scilifelab.se",)),
    _o("Kliniska Studier Sverige", "infrastructure", "Clinical Studies Sweden", dom=("kliniskastudier.se",)),
    _o("Swedish Medtech", "industry", dom=("swedishmedtech.se",)),
    _o("SwedenBIO", "industry", dom=("swedenbio.se",)),
    _o("Swelife", "network", dom=("swelife.se",)),
    _o("Forte", "agency", "Forskningsrådet för hälsa, arbetsliv och välfärd"),
    _o("SBU", "agency", "Statens beredningsgrupp för medicinsk och social utvärdering", acr=("SBU",)),
    _o("IVO", "agency", "Inspektionen för vård och omsorg", acr=("IVO",)),
    _o("Tillväxtverket", "authority"),
    _o("Arbetsmiljöverket", "authority", "Swedish Work Environment Authority"),
    _o("Naturvårdsverket", "authority", "Swedish Environmental Protection Agency"),
    _o("MSB", "authority", "Myndigheten för samhällsskydd och beredskap", acr=("MSB",)),
    _o("Riksdagen", "other", "Sveriges riksdag"),
    _o("Högsta domstolen", "other", "Supreme Court of Sweden"),
    _o("RISE", "other", "RISE Research Institutes of Sweden"),
    _o("Business Sweden", "other"),
)

PRESS: tuple[Organisation, ...] = (
    _o("Läkartidningen", "press", dom=("lakartidningen.se",)),
    _o("Dagens Medicin", "press", dom=("dagensmedicin.se",)),
    _o("Life Science Sweden", "press", dom=("lifesciencesweden.se",)),
    _o("Vårdfokus", "press"),
    _o("Dagens Samhälle", "press"),
    _o("Dagens Nyheter", "press", acr=("DN",)),
    _o("Svenska Dagbladet", "press", acr=("SvD",)),
    _o("Sveriges Radio", "press"),
    _o("SVT Nyheter", "press", "SVT"),
    _o("Ny Teknik", "press"),
    _o("Dagens industri", "press"),
)


@lru_cache(maxsize=1)
def municipalities() -> tuple[Organisation, ...]:
    """The 290 municipalities as organisations ("Umeå kommun") tied to their region.

    The county of each comes from SCB's codes; the county's region is the region of
    that county (Gotland's municipality is Region Gotland itself).
    """
    data = json.loads(resources.files(__package__).joinpath("data/municipalities.json").read_text("utf-8"))
    out = []
    for _code, name, county in data["rows"]:
        region = county_region(county)
        # The official form takes the genitive after a consonant: "Lunds kommun", "Umeå kommun".
        genitive = name if name[-1].lower() in "aeiouyåäösxz" else f"{name}s"
        forms = tuple(dict.fromkeys((f"{genitive} kommun", f"{name} kommun", f"{genitive} stad",
                                     f"{genitive} Stad")))  # fmt: skip
        out.append(_o(forms[0], "municipality", *forms[1:], reg=(region,)))
    return tuple(out)


@lru_cache(maxsize=1)
def places() -> dict[str, tuple[str, ...]]:
    """Bare place names (municipalities, which are also their main towns) → regions.

    A place name is weak evidence: "Umeå" usually means Västerbotten, but "Lund" is
    also a surname. Names shared by counties in two regions are left out.
    """
    data = json.loads(resources.files(__package__).joinpath("data/municipalities.json").read_text("utf-8"))
    found: dict[str, set[str]] = {}
    for _code, name, county in data["rows"]:
        found.setdefault(name, set()).add(county_region(county))
    return {name: tuple(sorted(regions)) for name, regions in found.items() if len(regions) == 1}


_COUNTY_TO_REGION = {
    "Stockholms län": STO, "Uppsala län": UPP, "Södermanlands län": SOR, "Östergötlands län": OST,
    "Jönköpings län": JON, "Kronobergs län": KRO, "Kalmar län": KAL, "Gotlands län": GOT,
    "Blekinge län": BLE, "Skåne län": SKA, "Hallands län": HAL, "Västra Götalands län": VGR,
    "Värmlands län": VRM, "Örebro län": ORE, "Västmanlands län": VML, "Dalarnas län": DAL,
    "Gävleborgs län": GAV, "Västernorrlands län": VNL, "Jämtlands län": JAM,
    "Västerbottens län": VBN, "Norrbottens län": NBN,
}  # fmt: skip


def county_region(county: str) -> str:
    """The region that runs the healthcare of ``county`` ("Skåne län" → "Region Skåne")."""
    return _COUNTY_TO_REGION[county]


def counties() -> dict[str, str]:
    """County names ("Skåne län") → region."""
    return dict(_COUNTY_TO_REGION)


def all_organisations() -> tuple[Organisation, ...]:
    """Every organisation but the regions themselves (those are in ``regions.REGIONS``)."""
    return HOSPITALS + GENOMIC_CENTRES + UNIVERSITIES + HEALTHCARE_REGIONS + NATIONAL + PRESS + municipalities()
