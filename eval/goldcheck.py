"""Checks a set's gold files against its documents: every evidence sentence and query
evidence is an exact passage (after whitespace folding) of its document's visible text,
every value is one the formats allow.

    python -m regionplans.eval.goldcheck eval/dev
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

from regionplans.ingest.regions import NATIONAL_ACTORS, REGION_NAMES

REGIONS = list(REGION_NAMES)
ACTORS = [a.name for a in NATIONAL_ACTORS]
TYPES = {"strategy", "action plan", "report", "news", "position", "regulation", "decision", "web page"}
LABELS = {"commitment", "plan", "proposal", "status", "none"}
CONCEPTS = {"gms", "gmc", "wgs", "ai", "ls", "pmc", "ct", "vin"}
KINDS = {"lexical", "paraphrase", "cross_lingual", "comparison"}


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def visible_text(path: Path, sources: Path) -> str:
    if path.suffix in (".html", ".htm"):
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for tag in ("script", "style", "noscript", "template"):
            for node in tree.css(tag):
                node.decompose()
        parts = [tree.body.text(separator=" ") if tree.body else ""]
        title = tree.css_first("title")
        if title:
            parts.append(title.text())
        return fold(" ".join(parts))
    if path.suffix in (".pdf", ".docx"):
        for src in sources.glob("*.txt"):
            text = src.read_text(encoding="utf-8")
            if re.search(rf"^out:\s*{re.escape(path.name)}\s*$", text, re.MULTILINE):
                body = text.split("\n---\n", 1)[-1]
                body = re.sub(r"^(=+|-|>) ", "", body, flags=re.MULTILINE)
                return fold(body.replace("|", " | "))
        return ""
    return fold(path.read_text(encoding="utf-8"))


def check_part(base: Path, part: str) -> list[str]:
    """Every problem of one gold part, as a one-line message."""
    gold = base / "gold" / part
    corpus, sources = base / "corpus", base / "sources"
    problems: list[str] = []
    texts: dict[str, str] = {}
    with (gold / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for r in rows:
        path = corpus / r["file"]
        if not path.is_file():
            problems.append(f"{part} metadata: no file {path}")
            continue
        texts[path.stem] = visible_text(path, sources)
        for region in filter(None, (x.strip() for x in r["regions"].split(";"))):
            if region not in REGIONS:
                problems.append(f"{part} metadata {r['file']}: unknown region {region!r}")
        if r["doc_type"] not in TYPES or r["language"] not in ("sv", "en"):
            problems.append(f"{part} metadata {r['file']}: doc_type or language")

    def check_text(where: str, doc: str, text: str) -> None:
        if doc not in texts:
            problems.append(f"{part} {where}: doc {doc!r} is not in this part's metadata.csv")
        elif fold(text) not in texts[doc]:
            problems.append(f"{part} {where}: not a passage of {doc}: {text[:80]!r}")

    for i, line in enumerate((gold / "evidence.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            e = json.loads(line)
            if e.get("concept") not in CONCEPTS or e.get("label") not in LABELS or not e.get("rows"):
                problems.append(f"{part} evidence line {i}: concept, label or rows")
            for row in e.get("rows", []):
                if row not in REGIONS + ACTORS:
                    problems.append(f"{part} evidence line {i}: row {row!r} is no region or actor row")
            check_text(f"evidence line {i}", e.get("doc", ""), e.get("text", ""))
    for line in (gold / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            if q.get("kind") not in KINDS:
                problems.append(f"{part} query {q.get('qid')}: kind {q.get('kind')!r}")
            for item in q.get("relevant", []):
                check_text(f"query {q.get('qid')}", item.get("doc", ""), item.get("evidence", ""))
    for i, line in enumerate((gold / "labels.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and json.loads(line).get("label") not in LABELS:
            problems.append(f"{part} labels line {i}: label")
    return problems


if __name__ == "__main__":
    root = Path(sys.argv[1])
    found = [p for part in sorted(d.name for d in (root / "gold").iterdir() if d.is_dir()) for p in check_part(root, part)]
    print("\n".join(found) or "no problems")
    raise SystemExit(1 if found else 0)
