"""HTML: the main content only, with ``<h1>``–``<h6>`` as declared headings.

Pages are read as sites really serve them (:mod:`~regionplans.ingest.html_content`):
chrome removed by tag, id, class and role; the content found in nested ``<div>`` s
when there is no ``<main>``; data tables kept as one line per row with its column
names. A page saved with its HTTP response headers ("HTTP/1.1 200 OK ...") is read
from after them, in the charset they name. Pages over ``REGIONPLANS_MAX_HTML_MB``
(25 MB) are refused, and nesting deeper than 256 elements is flattened before parsing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from regionplans.config import env_megabytes
from regionplans.dates import parse_date
from regionplans.errors import IngestError
from regionplans.ingest.readers import Extracted, Signals
from regionplans.ingest.text import decode

_BLOCK = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "td", "th", "blockquote", "pre", "figure", "figcaption", "br", "hr", "h1", "h2", "h3", "h4",
    "h5", "h6", "body", "address", "caption", "details", "summary", "form", "fieldset", "header",
    "footer", "aside", "center",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Paragraphs styled as headings: <p class="rubrik2">, <div class="subheading">.
_HEADING_CLASS = re.compile(r"(?:^|\s)(?:rubrik|heading|subheading|mellanrubrik|title)(\d?)(?:\s|$)", re.I)
_CHARSET = re.compile(rb"^content-type:[^\n]*charset=[\"']?([A-Za-z0-9_.:-]+)", re.I | re.M)


def max_html_bytes() -> int:
    """``REGIONPLANS_MAX_HTML_MB`` (default 25) in bytes."""
    return env_megabytes("REGIONPLANS_MAX_HTML_MB", 25)


def read_html(path: Path) -> Extracted:
    """Read an HTML page: main text in blocks separated by blank lines, headings kept."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    from regionplans.ingest.html_content import content_root, flatten_deep, remove_chrome

    limit = max_html_bytes()
    size = path.stat().st_size
    if size > limit:
        raise IngestError(
            str(path),
            f"HTML page too large ({size / 1048576:.1f} MB > {limit / 1048576:.0f} MB); "
            "raise REGIONPLANS_MAX_HTML_MB to read it",
        )
    data, charset, removed = strip_http_headers(path.read_bytes())
    notes: list[str] = []
    if removed:
        notes.append("HTTP response headers at the start removed")
    raw = _decode(data, str(path), charset)
    if "<" not in raw:
        raise IngestError(str(path), "no HTML markup found")
    raw, flattened = flatten_deep(raw)
    if flattened:
        notes.append(f"{flattened} elements nested deeper than 256 flattened")
    tree = HTMLParser(raw)
    title_node = tree.css_first("title")
    page_title = title_node.text(strip=True) if title_node else None
    html_node = tree.css_first("html")
    language = (html_node.attributes.get("lang") or None) if html_node else None
    date = _date(tree)
    h1_node = tree.css_first("h1")
    h1_text = " ".join(h1_node.text(separator=" ").split()) if h1_node is not None else ""
    signals = _signals(tree, page_title)  # read before the chrome (footer, head) is removed

    remove_chrome(tree)
    root = content_root(tree)
    if root is None:
        raise IngestError(str(path), "HTML has no body")
    blocks: list[str] = []
    headings: list[tuple[int, str]] = []
    tables = _walk(root, blocks, headings)
    if h1_text and not any(level == 1 for level, _ in headings):
        # The title stood outside the content (a banner above it): it opens the text.
        blocks.insert(0, h1_text)
        headings.insert(0, (1, h1_text))
    if tables:
        notes.append(f"{tables} data table{'s' if tables > 1 else ''} kept as rows")
    text = "\n\n".join(b for b in blocks if b)
    h1 = next((t for level, t in headings if level == 1), None)
    title = h1 or _strip_site(page_title)
    return Extracted(
        kind="html", pages=(text,), headings=tuple(headings), title=title, date=date,
        language=language.split("-")[0].lower() if language else None, notes=tuple(notes), signals=signals,
    )  # fmt: skip


def _signals(tree: Any, page_title: str | None) -> Signals:
    """Who the page says it is: site name, title, address, author and footer."""

    def meta(*selectors: str) -> str:
        for selector in selectors:
            node = tree.css_first(selector)
            if node is not None:
                value = node.attributes.get("content") or node.attributes.get("href") or ""
                if value.strip():
                    return " ".join(value.split())
        return ""

    footer_nodes = tree.css("footer, [role=contentinfo], #footer, .footer, [class*=footer]")
    footer = " ".join(" ".join(n.text(separator=" ").split()) for n in footer_nodes[:3])
    return Signals(
        site_name=meta('meta[property="og:site_name"]', 'meta[name="application-name"]'),
        page_title=" ".join((page_title or "").split()),
        og_title=meta('meta[property="og:title"]'),
        url=meta('meta[property="og:url"]', 'link[rel="canonical"]'),
        author=meta('meta[name="author"]', 'meta[name="DC.publisher"]', 'meta[name="dcterms.publisher"]'),
        footer=footer[:3000],
    )


def strip_http_headers(data: bytes) -> tuple[bytes, str | None, bool]:
    """A page saved with its HTTP response (``curl -i``, ``wget --save-headers``) without
    the header blocks: ``(body, charset the headers name, whether any were removed)``."""
    charset = None
    removed = False
    while data.lstrip()[:5].upper() == b"HTTP/":
        data = data.lstrip()
        ends = [i + n for i, n in ((data.find(b"\r\n\r\n", 0, 65536), 4), (data.find(b"\n\n", 0, 65536), 2)) if i >= 0]
        if not ends:
            break
        headers, data = data[: min(ends)], data[min(ends) :]
        found = _CHARSET.search(headers.replace(b"\r\n", b"\n"))
        charset = found.group(1).decode("ascii").lower() if found else charset
        removed = True
    return data, charset, removed


def _decode(data: bytes, path: str, charset: str | None) -> str:
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, path)[0]


def _date(tree: Any) -> str | None:
    for selector in (
        'meta[name="date"]', 'meta[property="article:published_time"]',
        'meta[name="dcterms.date"]', 'meta[name="DC.date"]', "time[datetime]",
    ):  # fmt: skip
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("datetime") or ""
            date = parse_date(value[:10])  # an ISO date, or the date of an ISO timestamp
            if date:
                return date
    return None


def _strip_site(title: str | None) -> str | None:
    """"Page – Site name" → "Page"."""
    if not title:
        return None
    return re.split(r"\s+[|–—-]\s+", title)[0].strip() or None


def _styled_heading(node: Any) -> tuple[int, str] | None:
    """A paragraph that is a heading in all but name: a heading class, or bold text alone."""
    if node.tag not in ("p", "div"):
        return None
    match = _HEADING_CLASS.search(str(node.attributes.get("class") or ""))
    if node.tag == "div" and match is None:
        return None  # (a div's text is its whole subtree: only read when its class says heading)
    text = " ".join(node.text(separator=" ").split())
    if not text or len(text) > 120 or text.endswith((".", "!", "?", ":", ",")):
        return None
    if match:
        return (int(match.group(1)) if match.group(1) else 2), text
    children = [c for c in node.iter(include_text=True) if c.tag != "-text" or (c.text(deep=False) or "").strip()]
    if len(children) == 1 and children[0].tag in ("strong", "b") and len(text) <= 80 and node.tag == "p":
        return 3, text
    return None


def _walk(root: Any, blocks: list[str], headings: list[tuple[int, str]]) -> int:
    """Collect text in document order, a block at every block-level element, without
    recursion. Returns the number of data tables read as rows."""
    from regionplans.ingest.html_content import data_table_rows

    buffer: list[str] = []
    tables = 0
    stack: list[tuple[Any, bool]] = [(iter(root.iter(include_text=True)), False)]
    while stack:
        children, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                _flush(blocks, buffer)
            continue
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
        if tag == "table":
            rows = data_table_rows(child)
            if rows is not None:
                _flush(blocks, buffer)
                blocks.append("\n".join(rows))
                tables += 1
                continue
        styled = _styled_heading(child) if tag in ("p", "div") else None
        if styled is not None:
            _flush(blocks, buffer)
            headings.append(styled)
            blocks.append(styled[1])
            continue
        block = tag in _BLOCK
        if block:
            _flush(blocks, buffer)
            if tag == "li":
                buffer.append("• ")
        stack.append((iter(child.iter(include_text=True)), block))
    _flush(blocks, buffer)
    return tables


def _flush(blocks: list[str], buffer: list[str]) -> None:
    text = " ".join("".join(buffer).split())
    buffer.clear()
    if text and text != "•":
        blocks.append(text)
