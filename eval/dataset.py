"""Judged queries: the ``queries.jsonl`` format, its loader and the evidence matching rule.

Judgments name evidence text, not chunk ids, so they survive any change of chunking.
A retrieved chunk is relevant to an item when, after whitespace normalisation, the chunk
contains the evidence, or the longest run of evidence tokens found contiguously in the
chunk covers at least half of the evidence tokens (evidence cut by a chunk boundary).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from regionplans.errors import ConfigError
from regionplans.records import normalise_text

KINDS: tuple[str, ...] = ("lexical", "paraphrase", "cross_lingual", "comparison")
LANGS: tuple[str, ...] = ("sv", "en")


@dataclass(frozen=True, slots=True)
class Relevant:
    """One judged evidence passage: a document name, its exact text and a grade (1 or 2)."""

    doc: str
    evidence: str
    grade: int


@dataclass(frozen=True, slots=True)
class Query:
    """One judged query from ``queries.jsonl``."""

    qid: str
    query: str
    lang: str
    kind: str
    region_filter: str | None
    relevant: tuple[Relevant, ...]


def _fail(path: Path, line: int, problem: str) -> ConfigError:
    return ConfigError(f"{path}:{line}: {problem}")


def _parse(path: Path, line: int, raw: object) -> Query:
    if not isinstance(raw, dict):
        raise _fail(path, line, "expected a JSON object per line")
    for key in ("qid", "query", "lang", "kind", "relevant"):
        if key not in raw:
            raise _fail(path, line, f"missing field {key!r}")
    qid, query = raw["qid"], raw["query"]
    if not isinstance(qid, str) or not qid:
        raise _fail(path, line, "'qid' must be a non-empty string")
    if not isinstance(query, str) or not query.strip():
        raise _fail(path, line, f"{qid}: 'query' must be a non-empty string")
    if raw["lang"] not in LANGS:
        raise _fail(path, line, f"{qid}: 'lang' must be one of {', '.join(LANGS)}")
    if raw["kind"] not in KINDS:
        raise _fail(path, line, f"{qid}: 'kind' must be one of {', '.join(KINDS)}")
    region = raw.get("region_filter")
    if region is not None and not isinstance(region, str):
        raise _fail(path, line, f"{qid}: 'region_filter' must be null or a region name")
    items = raw["relevant"]
    if not isinstance(items, list) or not items:
        raise _fail(path, line, f"{qid}: 'relevant' must be a non-empty list")
    relevant = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not {"doc", "evidence", "grade"} <= item.keys():
            raise _fail(path, line, f"{qid}: relevant item {n} needs 'doc', 'evidence', 'grade'")
        if item["grade"] not in (1, 2):
            raise _fail(path, line, f"{qid}: relevant item {n}: 'grade' must be 1 or 2")
        if not isinstance(item["evidence"], str) or not item["evidence"].strip():
            raise _fail(path, line, f"{qid}: relevant item {n}: empty 'evidence'")
        relevant.append(Relevant(str(item["doc"]), item["evidence"], int(item["grade"])))
    return Query(qid, query, raw["lang"], raw["kind"], region, tuple(relevant))


def load_queries(path: Path) -> list[Query]:
    """Read and validate ``queries.jsonl``; errors name the file, the line and the problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"{path}: queries file not found; give a queries.jsonl (see eval/README.md)"
        )
    queries: list[Query] = []
    seen: set[str] = set()
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(path, line, f"not valid JSON ({exc.msg})") from None
        query = _parse(path, line, raw)
        if query.qid in seen:
            raise _fail(path, line, f"duplicate qid {query.qid!r}")
        seen.add(query.qid)
        queries.append(query)
    if not queries:
        raise ConfigError(f"{path}: no queries in the file")
    return queries


def _tokens(text: str) -> list[str]:
    return normalise_text(text).split(" ") if text.strip() else []


def longest_run(evidence: list[str], chunk: list[str]) -> int:
    """Length of the longest run of consecutive evidence tokens found contiguously in chunk."""
    best = 0
    prev = [0] * (len(chunk) + 1)
    for tok in evidence:
        cur = [0] * (len(chunk) + 1)
        for j, ctok in enumerate(chunk, 1):
            if tok == ctok:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


SHORT_EVIDENCE = 8  # evidence with fewer tokens must be contained whole


def matches(evidence: str, chunk_text: str) -> bool:
    """The matching rule: containment after whitespace normalisation, or, for evidence
    of at least ``SHORT_EVIDENCE`` tokens, a contiguous run of half its tokens (evidence
    cut by a chunk boundary). Short evidence would credit unrelated chunks by overlap."""
    ev, ch = normalise_text(evidence), normalise_text(chunk_text)
    if not ev:
        return False
    if ev in ch:
        return True
    ev_tokens = _tokens(ev)
    if len(ev_tokens) < SHORT_EVIDENCE:
        return False
    return 2 * longest_run(ev_tokens, _tokens(ch)) >= len(ev_tokens)


def evidence_found(evidence: str, text: str) -> bool:
    """Whether the whole evidence occurs in a document's text (after whitespace normalisation)."""
    return normalise_text(evidence) in normalise_text(text)


def missing_evidence(queries: list[Query], texts: dict[str, str]) -> list[str]:
    """One message per judged item whose document is unknown or does not contain the evidence."""
    problems = []
    for q in queries:
        for item in q.relevant:
            if item.doc not in texts:
                problems.append(f"{q.qid}: document {item.doc!r} is not in the corpus")
            elif not evidence_found(item.evidence, texts[item.doc]):
                problems.append(f"{q.qid}: evidence not found in {item.doc}: {item.evidence!r}")
    return problems
