"""Site chrome against shared content, on generated web pages: lines repeated across the
pages of ONE site (its publisher) are chrome and go; a press release that two sites
publish is content on both and stays."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from regionplans.ingest.corpus import site_of
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.readers import Extracted, Signals
from regionplans.ingest.store import IngestStore

# One press release as a university and a region publish it: each edits the lead and
# adds its own paragraph; the body is the same. It names the hospital first, as the
# lead of a hospital's news does.
LEAD_UNI = ("Norrlands universitetssjukhus i Umeå börjar i höst helgenomsekvensera barn med misstänkt "
            "ärftlig cancer, i ett projekt som forskare vid Umeå universitet har förberett i två år.")  # fmt: skip
LEAD_REGION = ("Norrlands universitetssjukhus i Umeå börjar i höst helgenomsekvensera alla barn som "
               "insjuknar i cancer och där man misstänker en ärftlig orsak.")  # fmt: skip
SHARED = [
    "Analysen görs vid Genomic Medicine Center Norr och svaret ska komma inom fyra veckor från provtagningen.",
    "Under det första året räknar sjukhuset med att ett sextiotal barn och deras föräldrar erbjuds analysen.",
    "Genetiska vägledare på barnkliniken träffar familjerna både före provtagningen och när svaret kommer.",
    "– Vi kan nu ge familjerna ett besked om ärftligheten redan medan barnet behandlas, säger Karin Holm.",
]
# As much of each copy its own as shared: not "the same page saved twice".
OWN_UNI = [
    "Forskargruppen vid Institutionen för klinisk vetenskap ska följa hur svaren påverkar behandlingen.",
    "Två doktorander är knutna till projektet och skriver sina avhandlingar om familjernas erfarenheter.",
    "Universitetet bidrar också med bioinformatiker som bygger upp rutinerna för tolkningen av varianterna.",
]
OWN_REGION = [
    "Regionfullmäktige beslutade i juni att analysen ska ingå i den ordinarie vården från 2027.",
    "Projektet finansieras under tre år med medel från regionen och från Barncancerfonden.",
    "Barn från Norrbotten, Jämtland Härjedalen och Västernorrland remitteras också till Umeå för analysen.",
]
# Chrome each site prints inside its content area: menus, a notice, an address line.
UNI_MENU = ["Utbildning", "Forskning", "Samverkan", "Om universitetet"]
UNI_END = ["Prenumerera på nyhetsbrevet", "Umeå universitet, 901 87 Umeå · 090-786 50 00"]
UNI_FOOTER = "Umeå universitet, 901 87 Umeå · Organisationsnummer 202100-2874"
REGION_MENU = ["Hälsa och vård", "Regional utveckling", "Kultur och fritid", "Politik och insyn"]
REGION_END = ["Följ oss", "Region Västerbotten · 901 89 Umeå · 090-785 00 00"]
REGION_FOOTER = "Region Västerbotten, 901 89 Umeå · Organisationsnummer 232100-0222"
# A cookie notice written as a sentence, in words the chrome vocabulary does not know.
NOTICE = "Webbplatsen sparar små textfiler i din dator för att räkna besök och minnas dina val."


def page(path: Path, *, site: str, url: str, title: str, paragraphs: Sequence[str],
         top: Sequence[str] = (), end: Sequence[str] = (), footer: str = "") -> Path:  # fmt: skip
    """A news page of ``site`` whose menu and closing lines sit inside ``<main>`` in plain
    lists and divs (no class the reader drops), as many CMS templates put them; ``footer``
    in a ``<footer>`` (which the reader drops)."""
    menu = "".join(f'<li><a href="/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(top))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    closing = "".join(f"<p>{html.escape(t)}</p>" for t in end)
    path.write_text(
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} | '
        f'{html.escape(site)}</title><meta property="og:site_name" content="{html.escape(site)}">'
        f'<meta property="og:url" content="{url}"></head><body><main><ul class="quick">{menu}</ul>'
        f'<h1>{html.escape(title)}</h1>{body}<div class="end">{closing}</div></main><footer><p>{html.escape(footer)}</p></footer></body></html>',
        encoding="utf-8",
    )
    return path


def texts(store_dir: Path) -> dict[str, str]:
    """Each ingested file's cleaned text, by file name."""
    store = IngestStore(store_dir)
    return {key: store.document(entry.doc_id).text for key, entry in store.catalog().items()}


def other_news(n: int) -> list[str]:
    return [f"Nyhet {n}: regionens arbete med precisionsmedicin har nått en ny fas med {n + 3} nya studier.",
            f"Studierna {n} leds från Umeå och omfattar patienter från hela norra sjukvårdsregionen."]  # fmt: skip


def test_press_release_on_two_sites_keeps_its_body_and_drops_each_sites_chrome(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    title = "Helgenom för barn med cancer"
    # The addresses sit in the footers (left out of the text): only the pages' own
    # signals tell the sites apart, the text names the hospital first on both.
    uni = {"site": "Umeå universitet", "top": UNI_MENU, "end": UNI_END[:1], "footer": UNI_FOOTER}
    region = {"site": "Region Västerbotten", "top": REGION_MENU, "end": REGION_END[:1], "footer": REGION_FOOTER}
    page(corpus / "umu-helgenom.html", url="https://www.umu.se/nyheter/helgenom", title=title,
         paragraphs=[LEAD_UNI, *SHARED, *OWN_UNI], **uni)  # type: ignore[arg-type]
    page(corpus / "umu-studier.html", url="https://www.umu.se/nyheter/studier", title="Nya studier",
         paragraphs=other_news(1), **uni)  # type: ignore[arg-type]
    page(corpus / "rvb-helgenom.html", url="https://www.regionvasterbotten.se/nyheter/helgenom", title=title,
         paragraphs=[LEAD_REGION, *SHARED, *OWN_REGION], **region)  # type: ignore[arg-type]
    page(corpus / "rvb-studier.html", url="https://www.regionvasterbotten.se/nyheter/studier", title="Studier",
         paragraphs=other_news(2), **region)  # type: ignore[arg-type]  # fmt: skip
    assert ingest_directory(corpus, tmp_path / "store").ingested == 4
    cleaned = texts(tmp_path / "store")
    for name in ("umu-helgenom.html", "rvb-helgenom.html"):
        for paragraph in SHARED:
            assert paragraph in cleaned[name], (name, paragraph)
    assert all(p in cleaned["umu-helgenom.html"] for p in OWN_UNI)
    assert all(p in cleaned["rvb-helgenom.html"] for p in OWN_REGION)
    for name, text in cleaned.items():
        chrome = UNI_MENU + UNI_END if name.startswith("umu") else REGION_MENU + REGION_END
        lines = set(text.replace("• ", "").splitlines())
        assert not lines & set(chrome), (name, lines & set(chrome))


def test_menu_and_notice_on_three_pages_of_one_site_are_removed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        page(corpus / f"umu-{n}.html", site="Umeå universitet", url=f"https://www.umu.se/nyheter/{n}",
             title=f"Nyhet nummer {n}", paragraphs=other_news(n), top=UNI_MENU, end=[NOTICE, *UNI_END])  # fmt: skip
    assert ingest_directory(corpus, tmp_path / "store").ingested == 3
    for name, text in texts(tmp_path / "store").items():
        assert NOTICE not in text, name
        lines = set(text.replace("• ", "").splitlines())
        assert not lines & set(UNI_MENU + UNI_END), (name, lines & set(UNI_MENU + UNI_END))
        assert other_news(int(name[4]))[0] in text


def test_footer_shared_by_two_hosts_of_one_publisher_is_removed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page(corpus / "rvb-nyhet.html", site="Region Västerbotten", url="https://www.regionvasterbotten.se/nyheter/1",
         title="Studier i Umeå", paragraphs=other_news(1), end=REGION_END)  # fmt: skip
    page(corpus / "rvb-forskning.html", site="Forskning och utveckling – Region Västerbotten",
         url="https://forskning.regionvasterbotten.se/aktuellt/2", title="Studier i Skellefteå",
         paragraphs=other_news(2), end=REGION_END)  # fmt: skip
    assert ingest_directory(corpus, tmp_path / "store").ingested == 2
    for name, text in texts(tmp_path / "store").items():
        assert not set(text.splitlines()) & set(REGION_END), name
        assert other_news(1 if "nyhet" in name else 2)[1] in text


def test_site_is_the_publisher_a_files_own_signals_name() -> None:
    uni = Extracted("html", (LEAD_UNI,), signals=Signals(site_name="Umeå universitet"))
    region = Extracted("html", (LEAD_UNI,), signals=Signals(url="https://www.regionvasterbotten.se/nyheter/1"))
    assert site_of("", uni) == "umeå universitet"
    assert site_of("", region) == "region västerbotten"
    assert site_of("Region Västerbotten", uni) == "region västerbotten"  # as the manifest gives it
    copied = Extracted("text", (LEAD_UNI,))  # a page's text without its signals: its manifest address
    assert site_of("", copied, "https://www.regionvasterbotten.se/nyheter/1") == "region västerbotten"
    assert site_of("", copied) == "norrlands universitetssjukhus"  # no signals at all: the text's
    # A site of an organisation the gazetteer does not know is its own, not the text's hospital.
    unknown = Extracted("html", (LEAD_UNI,), signals=Signals(url="https://www.nyhetsbyran.example/a/1"))
    assert site_of("", unknown) == "nyhetsbyran.example"
    assert site_of("", Extracted("html", (LEAD_UNI,), signals=Signals(url="https://[::1/x"))) == site_of("", copied)
