"""The main content of a web page as real sites serve it, and its data tables as rows.

Sites built on SharePoint, EPiServer and Sitevision seldom mark their content with
``<main>`` or ``<article>``: the text sits ten ``<div>`` s deep, and SharePoint and
EPiServer wrap the whole page in one ``<form>``. So:

- chrome goes first: navigation, cookie, share, breadcrumb and footer elements by tag,
  id, class or role (a wrapper around the page's ``<h1>`` stays);
- then the content root is ``<main>``/``[role=main]``/``<article>`` when it holds a fair
  share of the text, else the deepest element holding 80 % of the text outside links
  (menus are links; the content is not);
- a data table (header cells, or short cells throughout) becomes one line per row with
  its column names ("Gen: BRCA1 | Syndrom: Lynchs syndrom"), not a heading per cell.

Every pass walks the tree once, without recursion, so a page nested 100,000 deep
costs its size (its depth is capped before parsing, see :func:`flatten_deep`).

Chosen by measurement on generated SharePoint, EPiServer and Sitevision pages
(``scripts/measure_html.py``, ``eval/reports/html_extractors.md``) against the extractor
before, trafilatura and readability-lxml.
"""

from __future__ import annotations

import re
from typing import Any

DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "iframe", "svg", "button", "select", "input",
    "textarea", "dialog", "menu", "object", "embed", "canvas", "map",
)  # fmt: skip
# id/class words of site chrome.
CHROME = re.compile(
    r"cookie|consent|gdpr|browser|outdated|breadcrumb|skip-?link|share|social|"
    r"navigation|\bnav\b|sidenav|subnav|quicklaunch|menu|footer|sidebar|"
    r"related-?(?:articles|content|links|pages)|feedback|contact-?(?:box|card|info)|"
    r"\baside\b|ribbon|search-?(?:box|form|field)|toolbar|\blyssna\b|readspeaker|aspnethidden",
    re.IGNORECASE,
)
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "search", "dialog", "alert")
# Containers a whole page may sit in, never chrome themselves.
_NEVER_CHROME = ("html", "body", "main", "article", "form")
# Nesting depth kept when parsing; deeper elements are flattened into their parent.
MAX_DEPTH = 256
_VOID_TAGS = "area base br col embed hr img input link meta param source track wbr"
_VOID = frozenset(_VOID_TAGS.split())
# Elements the parser closes by itself; they do not nest.
_AUTO_CLOSED_TAGS = "p li dt dd tr td th option optgroup thead tbody tfoot rb rt rp"
_AUTO_CLOSED = frozenset(_AUTO_CLOSED_TAGS.split())
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>|<!--|<!\[CDATA\[")
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "noscript", "template")


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, int]:
    """``html`` with elements nested deeper than ``max_depth`` unwrapped (their text kept),
    and how many were. HTML parsers spend time in the nesting depth for every tag (100,000
    nested ``<div>`` s took 49 s in lexbor and a recursion error in a recursive walk)."""
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    depth = flattened = 0
    cuts: list[tuple[int, int]] = []
    pos = 0
    while True:
        match = _TAG.search(html, pos)
        if match is None:
            break
        pos = match.end()
        token = match.group(0)
        if token == "<!--":
            end = html.find("-->", pos)
            pos = len(html) if end < 0 else end + 3
            continue
        if token == "<![CDATA[":
            end = html.find("]]>", pos)
            pos = len(html) if end < 0 else end + 3
            continue
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            for i in range(len(stack) - 1, max(-1, len(stack) - 12), -1):
                if stack[i][0] == name:
                    if not stack[i][1]:
                        cuts.append(match.span())
                    depth -= sum(1 for _, kept in stack[i:] if kept)
                    del stack[i:]
                    break
            continue
        if name in _RAW_TEXT:
            end = _find_close(html, name, pos)
            pos = len(html) if end < 0 else end
            continue
        if name in _VOID or self_closing or name in _AUTO_CLOSED:
            continue
        kept = depth < max_depth
        stack.append((name, kept))
        if kept:
            depth += 1
        else:
            flattened += 1
            cuts.append(match.span())
    if not cuts:
        return html, 0
    pieces = []
    last = 0
    for start, end in cuts:
        pieces.append(html[last:start])
        last = end
    pieces.append(html[last:])
    return "".join(pieces), flattened


_CLOSERS = {name: re.compile(f"</{name}", re.IGNORECASE) for name in _RAW_TEXT}


def _find_close(html: str, name: str, pos: int) -> int:
    match = _CLOSERS[name].search(html, pos)
    return match.start() if match else -1


def remove_chrome(tree: Any) -> None:
    """Drop chrome elements in place: by tag, and by id, class, role or ``aria-hidden``."""
    body = tree.body
    if body is None:
        return
    for tag in DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    # Wrappers of the page's title or content stay whatever they are called.
    protected: set[int] = set()
    for node in tree.css("h1, main, article, [role=main]"):
        current = node
        while current is not None and current.mem_id not in protected:
            protected.add(current.mem_id)
            current = current.parent
    doomed = []
    for node in tree.css("header, footer, aside, [id], [class], [role], [aria-hidden]"):
        if node.tag in _NEVER_CHROME or node.mem_id in protected:
            continue
        attrs = node.attributes
        if node.tag in ("header", "footer", "aside"):
            doomed.append(node)
            continue
        marker = " ".join(str(attrs.get(a) or "") for a in ("id", "class"))
        if CHROME.search(marker) or attrs.get("aria-hidden") == "true" or attrs.get("role") in _CHROME_ROLES:
            doomed.append(node)
    for node in doomed:
        node.decompose()


def content_root(tree: Any) -> Any:
    """The element holding the page's content (see the module's notes)."""
    body = tree.body
    if body is None:
        return None
    own, links = _text_lengths(body)
    total = own.get(body.mem_id, 0) - links.get(body.mem_id, 0)
    if total <= 0:
        return body
    for selector in ("main", '[role="main"]', "article"):
        node = tree.css_first(selector)
        if node is not None and own.get(node.mem_id, 0) - links.get(node.mem_id, 0) >= 0.3 * total:
            return node
    # Down from <body> into the child holding (nearly) all the text, while what stays
    # outside it is a few words (a logo, a "Lyssna" link), not an introduction.
    node, here = body, total
    while True:
        best, best_text = None, 0
        for child in node.iter(include_text=False):
            text = own.get(child.mem_id, 0) - links.get(child.mem_id, 0)
            if text > best_text:
                best, best_text = child, text
        outside = here - best_text
        if best is None or best_text < 0.5 * total or best.tag in _LEAVES:
            return node
        if outside > max(0.02 * total, min(0.1 * total, 150)):
            return node
        node, here = best, best_text


_LEAVES = ("p", "table", "ul", "ol", "li", "tr", "td", "h1", "h2", "h3", "blockquote", "pre")


def _text_lengths(root: Any) -> tuple[dict[int, int], dict[int, int]]:
    """Characters of text under each element, and of that inside links (bottom-up, linear)."""
    order = list(root.traverse(include_text=True))
    own: dict[int, int] = {}
    links: dict[int, int] = {}
    for node in reversed(order):
        if node.tag == "-text":
            length = len((node.text(deep=False) or "").strip())
            parent = node.parent
            if parent is not None and length:
                own[parent.mem_id] = own.get(parent.mem_id, 0) + length
            continue
        key = node.mem_id
        if node.tag == "a":
            links[key] = own.get(key, 0)
        parent = node.parent
        if parent is not None and key != root.mem_id:
            own[parent.mem_id] = own.get(parent.mem_id, 0) + own.get(key, 0)
            links[parent.mem_id] = links.get(parent.mem_id, 0) + links.get(key, 0)
    return own, links


def _cell_text(cell: Any) -> str:
    return " ".join(cell.text(separator=" ").split())


def data_table_rows(table: Any) -> list[str] | None:
    """A data table's rows as lines ("Gen: BRCA1 | Syndrom: ..."), or None for a layout
    table (paragraphs or nested tables in its cells), which is read as text."""
    if any(inner.mem_id != table.mem_id for inner in table.css("table")):
        return None
    rows = [row for row in table.css("tr")]
    if not rows:
        return None
    grid = [[cell for cell in row.iter(include_text=False) if cell.tag in ("td", "th")] for row in rows]
    grid = [cells for cells in grid if cells]
    if not grid:
        return None
    texts = [[_cell_text(cell) for cell in cells] for cells in grid]
    has_header = all(cell.tag == "th" for cell in grid[0]) or table.css_first("thead") is not None
    long_cells = sum(1 for row in texts for text in row if len(text) > 200)
    widest = max(len(row) for row in texts)
    if not has_header and (widest < 2 or len(texts) < 2 or long_cells or table.css_first("p, div, ul, ol")):
        return None
    lines = []
    caption = table.css_first("caption")
    if caption is not None and _cell_text(caption):
        lines.append(_cell_text(caption))
    header = texts[0] if has_header else []
    row_headers = not has_header and all(cells[0].tag == "th" for cells in grid) and widest >= 2
    for row in texts[1:] if has_header else texts:
        if not any(row):
            continue
        if row_headers and len(row) >= 2:
            cells = [f"{row[0]}: {' | '.join(v for v in row[1:] if v)}"]
        elif header and len(header) == len(row):
            cells = [f"{name}: {value}" if name else value for name, value in zip(header, row, strict=True) if value]
        else:
            cells = [value for value in row if value]
        lines.append("• " + " | ".join(cells))
    return lines
