"""HTML: the main content only, with ``<h1>``–``<h6>`` as declared headings.

Navigation, cookie and browser-warning banners, scripts, styles, forms and
footers are dropped before any text is taken; the main content is ``<main>``,
``<article>`` or ``[role=main]`` when the page has one, else ``<body>``.
"""

from __future__ import annotations

import re
from pathlib import Path

from regionplans.errors import IngestError
from regionplans.ingest.readers import Extracted
from regionplans.ingest.text import decode

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form",
    "iframe", "svg", "button", "select", "input", "dialog", "menu",
)  # fmt: skip
# id/class words of site chrome.
_CHROME = re.compile(
    r"cookie|consent|gdpr|browser|outdated|breadcrumb|skip-?link|share|social|"
    r"navigation|\bnav\b|menu|footer|sidebar|related-?(?:articles|content|links)|feedback",
    re.IGNORECASE,
)
_BLOCK = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "td", "th", "blockquote", "pre", "figure", "figcaption", "br", "hr", "h1", "h2", "h3", "h4",
    "h5", "h6", "body", "address", "caption", "details", "summary",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def read_html(path: Path) -> Extracted:
    """Read an HTML page: main text in blocks separated by blank lines, headings kept."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    raw, _encoding = decode(path.read_bytes(), str(path))
    if "<" not in raw:
        raise IngestError(str(path), "no HTML markup found")
    tree = HTMLParser(raw)
    title_node = tree.css_first("title")
    page_title = title_node.text(strip=True) if title_node else None
    html_node = tree.css_first("html")
    language = (html_node.attributes.get("lang") or None) if html_node else None
    date = None
    for selector in (
        'meta[name="date"]', 'meta[property="article:published_time"]',
        'meta[name="dcterms.date"]', 'meta[name="DC.date"]', "time[datetime]",
    ):  # fmt: skip
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("datetime") or ""
            if re.match(r"\d{4}-\d{2}-\d{2}", value):
                date = value[:10]
                break

    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("[id], [class], [role], [aria-hidden]"):
        attrs = node.attributes
        marker = " ".join(str(attrs.get(a) or "") for a in ("id", "class", "role"))
        if node.tag in ("html", "body", "main", "article"):
            continue
        # A "hero-banner" wrapping the page's own title is content, not chrome.
        if node.css_first("h1, main, article") is not None:
            continue
        if _CHROME.search(marker) or attrs.get("aria-hidden") == "true" or attrs.get("role") in (
            "navigation", "banner", "contentinfo", "search", "dialog", "alert",
        ):  # fmt: skip
            node.decompose()

    root = tree.css_first("main") or tree.css_first('[role="main"]') or tree.css_first("article")
    root = root or tree.body
    if root is None:
        raise IngestError(str(path), "HTML has no body")
    blocks: list[str] = []
    headings: list[tuple[int, str]] = []
    _walk(root, blocks, headings, [])
    text = "\n\n".join(b for b in blocks if b)
    h1 = next((t for level, t in headings if level == 1), None)
    title = h1 or _strip_site(page_title)
    return Extracted(
        kind="html", pages=(text,), headings=tuple(headings), title=title, date=date,
        language=language.split("-")[0].lower() if language else None,
    )  # fmt: skip


def _strip_site(title: str | None) -> str | None:
    """"Page – Site name" → "Page"."""
    if not title:
        return None
    return re.split(r"\s+[|–—-]\s+", title)[0].strip() or None


def _walk(node: object, blocks: list[str], headings: list[tuple[int, str]], buffer: list[str]) -> None:
    """Collect text in document order, flushing a block at every block-level element."""
    for child in node.iter(include_text=True):  # type: ignore[attr-defined]
        tag = child.tag
        if tag == "-text":
            buffer.append(child.text(deep=False))
            continue
        if tag in _HEADINGS:
            _flush(blocks, buffer)
            text = " ".join(child.text(separator=" ").split())
            if text:
                headings.append((_HEADINGS[tag], text))
                blocks.append(text)
            continue
        if tag in _BLOCK:
            _flush(blocks, buffer)
            prefix = "• " if tag == "li" else ""
            if prefix:
                buffer.append(prefix)
            _walk(child, blocks, headings, buffer)
            _flush(blocks, buffer)
        else:
            _walk(child, blocks, headings, buffer)


def _flush(blocks: list[str], buffer: list[str]) -> None:
    text = " ".join("".join(buffer).split())
    buffer.clear()
    if text and text != "•":
        blocks.append(text)
