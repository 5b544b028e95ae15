"""Main-content extractors side by side on generated CMS pages (SharePoint, EPiServer, Sitevision).

The pages come from ``tests/cms_pages.py`` with what each should yield. Every extractor
reads every page; scored are the content sentences found, the chrome strings kept
(menus, cookie notice, contacts, breadcrumbs), the headings recognised as headings,
the table rows kept whole on one line, and the time per page.

Extractors: ``read_html`` of this tree; of ``--base`` (a git revision, run from an
exported tree); trafilatura and readability-lxml, run by ``--external-python`` (a
Python that has them installed; they are not dependencies of the project).

    .venv/bin/python scripts/measure_html.py --base 6cc65da --external-python /tmp/x/bin/python \\
        --out eval/reports/html_extractors.md
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

_OURS = """
import json, sys, time
from pathlib import Path
from regionplans.ingest.html import read_html
out = {}
for name in sys.argv[1:]:
    times = []
    for _ in range(5):
        start = time.perf_counter(); extracted = read_html(Path(name)); times.append(time.perf_counter() - start)
    out[name] = {"text": extracted.pages[0], "headings": [t for _, t in extracted.headings], "seconds": sorted(times)[2]}
print(json.dumps(out))
"""

_EXTERNAL = """
import json, sys, time
from pathlib import Path
import lxml.html, trafilatura
from readability import Document
def blocks(html):
    root = lxml.html.fromstring(html)
    heads = [" ".join(h.text_content().split()) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    lines = []
    for el in root.iter("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"):
        if el.tag == "tr":
            lines.append(" ".join(" ".join(c.text_content().split()) for c in el.iter("td", "th")))
        elif el.tag not in ("td", "th") and not any(c.tag in ("p", "div", "li", "table", "h1", "h2", "h3") for c in el):
            lines.append(" ".join(el.text_content().split()))
    return "\\n".join(lines), heads
def traf(html, recall):
    md = trafilatura.extract(html, output_format="markdown", include_tables=True, favor_recall=recall) or ""
    heads = [l.lstrip("#").strip() for l in md.splitlines() if l.startswith("#")]
    lines = [re.sub(r"^[|#*\\s-]+|[|\\s]+$", "", l).replace(" | ", " ") for l in md.splitlines()]
    return "\\n".join(lines), heads
import re
out = {}
for name in sys.argv[1:]:
    html = Path(name).read_text(encoding="utf-8")
    for label, fn in (("trafilatura", lambda h: traf(h, False)), ("trafilatura favor_recall", lambda h: traf(h, True)),
                      ("readability-lxml", lambda h: blocks(Document(h).summary(html_partial=True)))):
        times = []
        for _ in range(5):
            start = time.perf_counter(); text, heads = fn(html); times.append(time.perf_counter() - start)
        out.setdefault(label, {})[name] = {"text": text, "headings": heads, "seconds": sorted(times)[2]}
print(json.dumps(out))
"""


def _norm(text: str) -> str:
    return " ".join(text.split())


def score(result: dict[str, object], truth: object, page_html: str) -> dict[str, float]:
    text = str(result["text"])
    flat = _norm(text)
    lines = [_norm(line) for line in text.splitlines()]
    content = truth.content  # type: ignore[attr-defined]
    chrome = [c for c in truth.chrome if c in page_html.replace("&amp;", "&")]  # type: ignore[attr-defined]
    headings = {_norm(h) for h in result["headings"]}  # type: ignore[attr-defined]
    rows = truth.rows[1:]  # type: ignore[attr-defined]

    def row_whole(row: list[str]) -> bool:
        pattern = re.compile(".*".join(re.escape(c) for c in row))
        return any(pattern.search(line) for line in lines)

    return {
        "content": sum(s in flat for s in content) / len(content),
        "chrome": sum(c in flat for c in chrome) / max(1, len(chrome)),
        "headings": sum(_norm(h) in headings for h in truth.headings) / len(truth.headings),  # type: ignore[attr-defined]
        "rows": sum(row_whole(r) for r in rows) / len(rows),
        "ms": 1000 * float(result["seconds"]),  # type: ignore[arg-type]
    }


def main() -> int:
    import cms_pages

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="git revision whose read_html to measure too")
    parser.add_argument("--external-python", help="a Python with trafilatura and readability-lxml")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="measure-html-") as tmp:
        base = Path(tmp)
        pages: dict[str, tuple[Path, object, str]] = {}
        shapes = {**cms_pages.PAGES, "sharepoint (8,500-character regulation)":
                  lambda: cms_pages.sharepoint(extra_paragraphs=90)}  # fmt: skip
        for name, build in shapes.items():
            html, truth = build()
            path = base / f"{re.sub(r'[^a-z]+', '-', name)}.html"
            path.write_text(html, encoding="utf-8")
            pages[name] = (path, truth, html)
        files = [str(p) for p, _, _ in pages.values()]
        results: dict[str, dict[str, dict[str, object]]] = {}
        runs = {"this tree": None}
        if args.base:
            from bench_ingest import export_tree

            runs = {f"before ({args.base})": export_tree(args.base, base / "base"), **runs}
        for label, tree in runs.items():
            env = None if tree is None else {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}
            out = subprocess.run([sys.executable, "-c", _OURS, *files], capture_output=True, text=True,
                                 env=env, check=False, cwd=tmp)  # fmt: skip
            if out.returncode != 0:
                # A page the extractor refuses ("no text found") scores nothing.
                results[label] = {}
                for f in files:
                    one = subprocess.run([sys.executable, "-c", _OURS, f], capture_output=True, text=True,
                                         env=env, check=False, cwd=tmp)  # fmt: skip
                    results[label].update(json.loads(one.stdout) if one.returncode == 0 else
                                          {f: {"text": "", "headings": [], "seconds": 0.0}})  # fmt: skip
            else:
                results[label] = json.loads(out.stdout)
        if args.external_python:
            out = subprocess.run([args.external_python, "-c", _EXTERNAL, *files], capture_output=True,
                                 text=True, check=True, cwd=tmp)  # fmt: skip
            results.update(json.loads(out.stdout))
    lines = ["| extractor | page | content sentences | chrome kept | headings | table rows whole | ms/page |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    totals: dict[str, list[dict[str, float]]] = {}
    for label, by_file in results.items():
        for name, (path, truth, html) in pages.items():
            s = score(by_file[str(path)], truth, html)
            totals.setdefault(label, []).append(s)
            lines.append(f"| {label} | {name} | {s['content']:.0%} | {s['chrome']:.0%} | {s['headings']:.0%} | "
                         f"{s['rows']:.0%} | {s['ms']:.1f} |")  # fmt: skip
    lines += ["", "| extractor | content sentences | chrome kept | headings | table rows whole | ms/page |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for label, scores in totals.items():
        mean = {k: statistics.mean(s[k] for s in scores) for k in scores[0]}
        lines.append(f"| {label} | {mean['content']:.0%} | {mean['chrome']:.0%} | {mean['headings']:.0%} | "
                     f"{mean['rows']:.0%} | {mean['ms']:.1f} |")  # fmt: skip
    table = "\n".join(lines)
    print(table)
    if args.out:
        note = (f"HTML main-content extraction on generated CMS pages ({time.strftime('%Y-%m-%d')}); "
                "`python scripts/measure_html.py`. Reader output before cleaning (cleaning then drops "
                "dateline and address lines that remain).\n\n")  # fmt: skip
        args.out.write_text(note + table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
