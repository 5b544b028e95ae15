"""How right detected metadata is, against a set's gold ``metadata.csv``.

The set's corpus is ingested without a manifest (as users drop files) and each field
of each document is compared with the gold:

- publisher: the same organisation (names resolved through the gazetteer, so
  "Region Örebro" and "Region Örebro län" agree);
- regions: exactly the same set;
- doc_type, language: equal;
- date: equal, to the precision the gold gives ("2024-03" matches "2024-03-12");
- title: acceptable when, after folding case and spaces, they are equal, one is the
  other's main title without its subtitle (before " – " or ": "), one contains the
  other and is at least half its length, or they share at least 70 % of their words.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from regionplans.eval.devset import DevSet
from regionplans.eval.tables import wilson

FIELDS = ("publisher", "regions", "doc_type", "title", "date", "language")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def title_ok(got: str, gold: str) -> bool:
    # A main title without its subtitle ("Från pilot till rutin" for "Från pilot till
    # rutin – Uppföljning av ...") is a title a reader accepts.
    for full, part in ((gold, got), (got, gold)):
        head = re.split(r"\s[–—-]\s|:\s", full, maxsplit=1)[0]
        if head != full and " ".join(_words(head)) == " ".join(_words(part)):
            return True
    a, b = " ".join(_words(got)), " ".join(_words(gold))
    if not a or not b:
        return False
    if a in b or b in a:
        return min(len(a), len(b)) >= 0.5 * max(len(a), len(b))
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) >= 0.7 * max(len(wa), len(wb))


def _org(name: str) -> str:
    from regionplans.ingest.regions import organisation

    org = organisation(name) if name else None
    return org.name if org is not None else " ".join(name.casefold().split())


def field_ok(field: str, got: Any, gold: str) -> bool:
    if field == "publisher":
        return _org(str(got)) == _org(gold)
    if field == "regions":
        return set(got) == {r.strip() for r in gold.split(";") if r.strip()}
    if field == "date":
        return (got or "").startswith(gold) if gold else not got
    if field == "title":
        return title_ok(str(got), gold)
    return str(got or "") == gold


def evaluate_metadata(devset: DevSet) -> dict[str, Any]:
    """Ingest the set's corpus without a manifest and score every field."""
    from regionplans.ingest.pipeline import ingest_directory
    from regionplans.ingest.store import IngestStore

    with tempfile.TemporaryDirectory(prefix="regionplans-eval-") as tmp:
        store_dir = Path(tmp) / "ingest"
        ingest_directory(devset.corpus, store_dir, manifest=Path(tmp) / "no-manifest.csv")
        docs = {Path(d.file_path).name: d for d in IngestStore(store_dir).documents()}
    rows = []
    counts = {f: 0 for f in FIELDS}
    for gold in devset.metadata:
        doc = docs.get(gold["file"])
        verdict: dict[str, Any] = {"file": gold["file"]}
        for field in FIELDS:
            got = getattr(doc, field) if doc is not None else ""
            ok = doc is not None and field_ok(field, got, gold[field])
            counts[field] += ok
            verdict[field] = "ok" if ok else f"{'; '.join(got) if isinstance(got, tuple) else got!s} ≠ {gold[field]}"
        rows.append(verdict)
    n = len(devset.metadata)
    summary = {f: {"value": counts[f] / n if n else None, "k": counts[f], "n": n,
                   "ci": [round(x, 3) for x in wilson(counts[f], n)]} for f in FIELDS}  # fmt: skip
    return {"set": str(devset.root), "fields": summary, "documents": rows}
