"""How right the binding-ness labels are, on a set's hand-labelled sentences.

Accuracy overall, per gold label, per hard case and per language, with 95 % Wilson
intervals, and the confusion of gold and predicted labels. A list item is labelled with
its lead-in ("Under 2025 ska regionen:"), found in the set's text documents, as the
comparison table labels it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from regionplans.eval.devset import DevSet
from regionplans.eval.tables import wilson

_BULLET = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+(?:\*\*[^*]+\*\*\s*)?")


def _key(text: str) -> str:
    return " ".join(text.split()).rstrip(" ,;.").casefold()


def list_leads(root: Path) -> dict[str, str]:
    """List item → its lead-in (the line ending in ":" that opens its list), over the
    set's text documents (``corpus`` and ``sources``: .txt and .md)."""
    leads: dict[str, str] = {}
    files = [p for d in ("corpus", "sources") for p in sorted((root / d).glob("*")) if p.suffix in (".txt", ".md")]
    for path in files:
        lead = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            if m := _BULLET.match(line):
                if lead:
                    leads.setdefault(_key(line[m.end() :]), lead)
            else:
                lead = line.strip() if line.rstrip().endswith(":") else ""
    return leads


def evaluate_labels(devset: DevSet) -> dict[str, Any]:
    """Label every sentence with :func:`compare.labels.label_text` and score it."""
    from regionplans.compare.labels import label_text

    groups: dict[str, list[bool]] = defaultdict(list)
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    seen: set[str] = set()
    leads = list_leads(devset.root)
    for item in devset.labels:
        text = " ".join(str(item["text"]).split())
        if text in seen:  # evidence sentences are repeated in the label file
            continue
        seen.add(text)
        got = label_text(text, lead=leads.get(_key(text)))
        ok = got.label == item["label"]
        confusion[(item["label"], got.label)] += 1
        for group in ("all", f"label:{item['label']}", f"lang:{item.get('lang', '?')}",
                      f"case:{item.get('case') or 'plain'}"):  # fmt: skip
            groups[group].append(ok)
        if not ok:
            wrong.append({"text": text, "gold": item["label"], "got": got.label,
                          "triggers": list(got.triggers), "case": item.get("case")})  # fmt: skip
    summary = {
        g: {"value": sum(v) / len(v), "k": sum(v), "n": len(v), "ci": [round(x, 3) for x in wilson(sum(v), len(v))]}
        for g, v in sorted(groups.items())
    }
    return {"set": str(devset.root), "groups": summary,
            "confusion": [{"gold": g, "got": p, "n": n} for (g, p), n in sorted(confusion.items())],
            "wrong": wrong}  # fmt: skip
