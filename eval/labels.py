"""How right the binding-ness labels are, on a set's hand-labelled sentences.

Accuracy overall, per gold label, per hard case and per language, with 95 % Wilson
intervals, and the confusion of gold and predicted labels.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from regionplans.eval.devset import DevSet
from regionplans.eval.tables import wilson


def evaluate_labels(devset: DevSet) -> dict[str, Any]:
    """Label every sentence with :func:`compare.labels.label_text` and score it."""
    from regionplans.compare.labels import label_text

    groups: dict[str, list[bool]] = defaultdict(list)
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    seen: set[str] = set()
    for item in devset.labels:
        text = " ".join(str(item["text"]).split())
        if text in seen:  # evidence sentences are repeated in the label file
            continue
        seen.add(text)
        got = label_text(text)
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
