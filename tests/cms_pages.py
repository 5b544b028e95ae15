"""Web pages in the shapes Swedish public bodies' CMSs serve them, with what each should yield.

SharePoint (everything inside one ``<form>``, the content ten ``<div>`` s deep in
``#DeltaPlaceHolderMain``, text in bare ``<div>`` s rather than ``<p>`` s), EPiServer
(``#content`` between a sub-navigation and a contact column, no ``<main>``) and
Sitevision (portlets: ``sv-text-portlet`` for text, ``sv-menu-portlet`` for menus,
headings as ``<h2 class="subheading">`` or as styled paragraphs). Each builder returns
the page and a :class:`Truth`: the sentences and headings that are content, the
strings that are chrome, and the rows of its data table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

TITLE = "Riktlinje för genetisk utredning vid ärftlig cancer"
INTRO = ("Riktlinjen beskriver hur regionen utreder patienter med misstänkt ärftlig cancer och "
         "hur anhöriga erbjuds rådgivning.")  # fmt: skip
SECTIONS = [
    ("Syfte", [
        "Syftet är att alla patienter med misstänkt ärftlig cancer ska utredas på samma sätt i hela regionen.",
        "Riktlinjen gäller för hälso- och sjukvården samt för den onkogenetiska mottagningen.",
    ]),
    ("Ansvar", [
        "Verksamhetschefen ansvarar för att riktlinjen är känd och följs inom verksamheten.",
        "Den behandlande läkaren ansvarar för att remiss skickas till den onkogenetiska mottagningen.",
    ]),
    ("Genomförande", [
        "Patienten erbjuds genetisk vägledning innan ett prov för helgenomsekvensering tas.",
        "Provsvaret lämnas vid ett återbesök där även anhörigas risker och uppföljning diskuteras.",
        "Anhöriga som bär en sjukdomsorsakande variant erbjuds kontroller enligt tabellen nedan.",
    ]),
]  # fmt: skip
TABLE = [
    ["Gen", "Syndrom", "Livstidsrisk", "Uppföljning"],
    ["BRCA1", "Ärftlig bröst- och äggstockscancer", "60–80 %", "MR bröst årligen från 25 år"],
    ["BRCA2", "Ärftlig bröst- och äggstockscancer", "40–70 %", "MR bröst årligen från 30 år"],
    ["MLH1", "Lynchs syndrom", "40–80 %", "Koloskopi vartannat år från 25 år"],
    ["TP53", "Li-Fraumenis syndrom", "över 90 %", "Helkropps-MR årligen"],
]
NAV = ["Vård och hälsa", "Regional utveckling", "Kultur och fritid", "Jobba hos oss", "Om regionen"]
SIDE = ["Riktlinjer A–Ö", "Vårdprogram", "Läkemedelsrekommendationer", "Medicinsk service"]
LISTEN, SHARE, CONTACT = "Lyssna på sidan", "Dela sidan på Facebook", "Kontakta kundtjänst 010-123 45 67"
COOKIE, BREADCRUMB = "Vi använder kakor för att webbplatsen ska fungera", "Du är här: Start / Vårdgivare"
ADDRESS, UPDATED = "Region Testlän, Box 123, 701 16 Örebro", "Senast uppdaterad 2024-02-12 av Anna Berg"
RELATED = "Relaterade sidor: Cancerrehabilitering"
CHROME = [*NAV, *SIDE, LISTEN, SHARE, CONTACT, COOKIE, BREADCRUMB, ADDRESS, UPDATED, RELATED]


@dataclass
class Truth:
    """What a page should yield: content sentences and headings, chrome, table rows."""

    content: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _truth() -> Truth:
    sentences = [INTRO] + [s for _, body in SECTIONS for s in body]
    return Truth(sentences, [TITLE] + [h for h, _ in SECTIONS], list(CHROME), [list(r) for r in TABLE])


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _table(attrs: str, header_cells: str = "th") -> str:
    head = "".join(f"<{header_cells}>{_e(c)}</{header_cells}>" for c in TABLE[0])
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in TABLE[1:])
    return f"<table {attrs}><tbody><tr>{head}</tr>{body}</tbody></table>"


def _links(items: list[str], cls: str = "") -> str:
    return f'<ul class="{cls}">' + "".join(f'<li><a href="/{i}">{_e(i)}</a></li>' for i in items) + "</ul>"


def sharepoint(*, extra_paragraphs: int = 0) -> tuple[str, Truth]:
    """A SharePoint 2016 publishing page: one ``<form>``, content deep in nested divs."""
    body = [f'<div class="ms-rteElement-P">{_e(INTRO)}</div><div><br></div>']
    for heading, sentences in SECTIONS:
        body.append(f'<h2 class="ms-rteElement-H2B">{_e(heading)}</h2>')
        body += [f"<div>{_e(s)}</div>" for s in sentences]
    body.append(_table('class="ms-rteTable-default" cellspacing="0"'))
    body += [f"<div>§ {n} Bestämmelsen gäller från och med den 1 januari 2025 för vårdgivare i länet.</div>"
             for n in range(extra_paragraphs)]  # fmt: skip
    page = f"""<!DOCTYPE html><html dir="ltr" lang="sv-SE"><head><meta charset="utf-8">
<title>{_e(TITLE)} - Vårdgivarwebben</title>
<script>var _spPageContextInfo = {{webServerRelativeUrl: "/vardgivare"}};</script>
<link rel="stylesheet" href="/_layouts/15/1053/styles/Themable/corev15.css"></head>
<body><form method="post" action="./Riktlinje.aspx" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUBMA9kFgJmD2QWAg"></div>
<div id="ms-designer-ribbon"><div id="s4-ribbonrow"><div id="s4-ribboncont">Bläddra Sida</div></div></div>
<div id="s4-workspace" class="ms-core-overlay"><div id="s4-bodyContainer">
<div id="titlerow" class="ms-dialogHidden s4-notdlg"><div id="siteIcon" class="ms-tableCell">Region Testlän</div>
<div class="ms-breadcrumb-top"><span>{_e(BREADCRUMB)}</span></div>
<div id="DeltaTopNavigation" class="ms-core-navigation ms-dialogHidden">{_links(NAV, "root ms-core-listMenu-root")}</div>
<div class="ms-tableCell"><a>{_e(LISTEN)}</a> <a>{_e(SHARE)}</a></div></div>
<div id="contentRow"><div id="sideNavBox" class="ms-dialogHidden ms-forceWrap ms-noList">
<div id="DeltaPlaceHolderLeftNavBar" class="ms-core-navigation">{_links(SIDE, "ms-core-listMenu-verticalBox")}</div></div>
<div id="contentBox" aria-live="polite" aria-relevant="all"><div id="notificationArea" class="ms-notif-box"></div>
<div id="DeltaPageStatusBar"><div id="pageStatusBar"></div></div>
<div id="DeltaPlaceHolderMain"><a id="mainContent" name="mainContent" tabindex="-1"></a>
<div class="ms-table ms-fullWidth"><div class="ms-tableRow"><div class="ms-tableCell ms-verticalAlignTop">
<div class="article article-body"><div class="ms-webpart-zone ms-fullWidth"><div class="s4-wpcell-plain">
<div id="pageTitle"><h1><span id="DeltaPlaceHolderPageTitleInTitleArea">{_e(TITLE)}</span></h1></div>
<div id="ctl00_PlaceHolderMain_ctl01__ControlWrapper_RichHtmlField" class="ms-rtestate-field" style="display:inline" aria-labelledby="ctl00_PlaceHolderMain_ctl01_label">
{"".join(body)}
</div></div></div></div>
<div class="page-footer"><span>{_e(UPDATED)}</span></div>
</div></div></div></div></div></div>
<div id="footer" class="ms-dialogHidden"><div>{_e(ADDRESS)}</div><div>{_e(CONTACT)}</div></div>
<div id="cookie-info" class="cookie-banner">{_e(COOKIE)}</div>
</div></div></form></body></html>"""
    return page, _truth()


def episerver() -> tuple[str, Truth]:
    """An EPiServer page: header, sub-navigation, ``#content``, a contact column, footer."""
    body = [f'<div class="page-heading"><h1>{_e(TITLE)}</h1></div>', f'<div class="introduction"><p>{_e(INTRO)}</p></div>',
            '<div class="mainbody">']  # fmt: skip
    for heading, sentences in SECTIONS:
        body.append(f"<h2>{_e(heading)}</h2>")
        body += [f"<p>{_e(s)}</p>" for s in sentences]
    body.append(_table('class="data-table"') + "</div>")
    body.append(f'<div class="page-info"><p>{_e(UPDATED)}</p></div>')
    page = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{_e(TITLE)} | Region Testlän</title></head>
<body><form method="post" action="/vardgivare/riktlinjer/" id="aspnetForm"><div id="wrapper">
<div id="header" class="header"><div class="logo"><a href="/">Region Testlän</a></div>
<div class="toolbar"><a class="listen">{_e(LISTEN)}</a></div>{_links(NAV, "nav main-menu")}
<div class="search-box"><input type="text" placeholder="Sök"></div></div>
<div class="breadcrumbs">{_e(BREADCRUMB)}</div>
<div id="main-wrapper" class="clearfix"><div id="left-column" class="sub-navigation">{_links(SIDE, "submenu")}</div>
<div id="content" class="content-area">{"".join(body)}</div>
<div id="right-column" class="aside-area"><div class="contact-box"><h3>Kontakt</h3><p>{_e(CONTACT)}</p></div>
<div class="related-links"><p>{_e(RELATED)}</p></div><div class="share"><a>{_e(SHARE)}</a></div></div></div>
<div id="footer"><p>{_e(ADDRESS)}</p></div>
<div class="cookie-notice"><p>{_e(COOKIE)}</p></div></div></form></body></html>"""
    return page, _truth()


def sitevision() -> tuple[str, Truth]:
    """A Sitevision page: portlets in ``sv-layout`` divs; one heading is a styled paragraph."""

    def portlet(inner: str, kind: str = "sv-text-portlet") -> str:
        return (f'<div class="sv-layout sv-skip-spacer"><div class="{kind} sv-use-margins" id="svid12_{len(inner)}">'
                f'<div class="sv-text-portlet-content">{inner}</div></div></div>')  # fmt: skip

    parts = [portlet(f'<h1 class="heading" id="h-Riktlinje">{_e(TITLE)}</h1>'),
             portlet(f'<p class="lead">{_e(INTRO)}</p>')]  # fmt: skip
    for n, (heading, sentences) in enumerate(SECTIONS):
        tag = f'<h2 class="subheading">{_e(heading)}</h2>' if n != 1 else f'<p class="rubrik2"><strong>{_e(heading)}</strong></p>'
        parts.append(portlet(tag + "".join(f'<p class="normal">{_e(s)}</p>' for s in sentences)))
    parts.append(portlet(_table('class="sv-table"', header_cells="th")))
    page = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{_e(TITLE)} - Region Testlän</title></head>
<body><div class="sv-layout" id="svid10_1"><div class="sv-layout sv-template-layout" id="svid10_header">
<div class="sv-vertical sv-layout sv-template-portlet"><a href="/">Region Testlän</a></div>
<div class="sv-menu-portlet sv-template-portlet"><nav aria-label="Huvudmeny">{_links(NAV, "sys-menu")}</nav></div>
<div class="sv-script-portlet"><a class="lyssna">{_e(LISTEN)}</a></div></div>
<div class="sv-layout sv-template-layout" id="svid10_breadcrumb"><div class="sv-breadcrumbs-portlet">{_e(BREADCRUMB)}</div></div>
<div class="sv-layout sv-template-layout" id="svid10_content">
<div class="sv-layout sv-template-portlet sv-column-3" id="svid10_left"><div class="sv-menu-portlet">{_links(SIDE, "sys-vertical-menu")}</div></div>
<div class="sv-layout sv-column-9" id="svid10_main">{"".join(parts)}
<div class="sv-layout"><div class="sv-text-portlet"><div class="sv-text-portlet-content"><p class="sidfot">{_e(UPDATED)}</p></div></div></div>
</div></div>
<div class="sv-layout sv-template-layout" id="svid10_footer"><div class="sv-text-portlet"><p>{_e(ADDRESS)}</p><p>{_e(CONTACT)}</p></div></div>
<div class="sv-cookie-consent-portlet"><p>{_e(COOKIE)}</p></div></div></body></html>"""
    return page, _truth()


def nested_divs(depth: int) -> str:
    """A page of ``depth`` nested ``<div class=...>`` around one paragraph."""
    return ("<!DOCTYPE html><html><head><title>Djup</title></head><body>"
            + '<div class="wrap">' * depth + "<p>Region Testlän satsar på precisionsmedicin.</p>"
            + "</div>" * depth + "</body></html>")  # fmt: skip


PAGES = {"sharepoint": sharepoint, "episerver": episerver, "sitevision": sitevision}
