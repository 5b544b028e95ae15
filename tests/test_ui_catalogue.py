"""The one catalogue of texts: every key in Swedish and English with the same
placeholders, the library's words said once (the app takes them from
``compare.vocabulary``), and every key the app's code asks for is there."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import get_args

from regionplans.compare import vocabulary
from regionplans.compare.labels import LABELS
from regionplans.compare.table import EmptyReason
from regionplans.compare.topics import load_topics
from regionplans.ingest.corrections import FIELDS, METADATA
from regionplans.ingest.store import STATUSES
from regionplans.records import DOC_TYPES, SEARCH_MODES
from regionplans.ui import regionmap
from regionplans.ui.i18n import LANGUAGES, TEXTS, t

UI = Path(__file__).resolve().parent.parent / "ui"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_in_both_languages_with_the_same_placeholders() -> None:
    for catalogue in (TEXTS, vocabulary.WORDS):
        for key, entry in catalogue.items():
            assert set(entry) == set(LANGUAGES), key
            assert all(entry[lang].strip() for lang in LANGUAGES), key
            assert _placeholders(entry["sv"]) == _placeholders(entry["en"]), key
    assert t("tab_search", "sv") == "Sök" and t("tab_search", "en") == "Search"


def test_library_words_are_said_in_one_place() -> None:
    # Every label code and empty reason has its word in the library's vocabulary ...
    assert set(vocabulary.LABEL_WORDS) == set(LABELS)
    assert set(vocabulary.EMPTY_WORDS) == set(get_args(EmptyReason))
    # ... and the app's catalogue holds those very entries, not copies of them.
    for code in LABELS:
        assert TEXTS[f"label_{code}"] is vocabulary.WORDS[code]
    for reason in get_args(EmptyReason):
        assert TEXTS[f"reason_short_{reason}"] is vocabulary.WORDS[reason]
    # No other text of the app repeats a library word in both languages under another key.
    library = {tuple(sorted(e.items())) for e in vocabulary.WORDS.values()}
    shared = {id(e) for e in vocabulary.WORDS.values()}
    repeated = [
        k for k, e in TEXTS.items() if id(e) not in shared and tuple(sorted(e.items())) in library
    ]
    assert not repeated, f"take these from compare.vocabulary: {repeated}"


# The values an f-string key of the app is made from: (what comes before, what comes
# after) -> where the values come from. A new f-string key needs its values named here.
DOMAINS: dict[tuple[str, str], Iterable[str]] = {
    ("label_", ""): LABELS,
    ("reason_", ""): get_args(EmptyReason),
    ("reason_short_", ""): (*regionmap.CATEGORIES[len(LABELS) :], "not_compared"),
    ("explain_", ""): regionmap.CATEGORIES,
    ("mode_", ""): SEARCH_MODES,
    ("type_", ""): DOC_TYPES,
    ("lang_", ""): LANGUAGES,
    ("status_", ""): (*STATUSES, "rejected"),
    ("field_", ""): (*FIELDS, *METADATA),
    ("src_", ""): ("manifest", "corrected"),
    ("limit_", ""): ("max_query_chars", "max_filter_values", "max_aspects", "max_hits"),
    ("unknown_", ""): ("region", "actor"),
    ("unknown_", "_suggest"): ("region", "actor"),
    ("topicset_", ""): tuple(load_topics()),
}


def _keys(node: ast.expr) -> Iterator[str | tuple[str, str]]:
    """The key (a string) or key pattern (prefix, suffix) an argument of ``t`` can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        parts = ["" if isinstance(v, ast.FormattedValue) else str(v.value) for v in node.values]  # type: ignore[attr-defined]
        assert sum(isinstance(v, ast.FormattedValue) for v in node.values) == 1, ast.unparse(node)
        split = [isinstance(v, ast.FormattedValue) for v in node.values].index(True)
        yield "".join(parts[:split]), "".join(parts[split + 1 :])
    elif isinstance(node, ast.IfExp):
        yield from _keys(node.body)
        yield from _keys(node.orelse)


# The app's functions that take a key, and which positional argument it is: ``t(key,
# lang)`` and ``L(component, key)`` (app.py: a component relabelled on a language switch).
TAKES_KEY = {"t": 0, "L": 1}


def used_keys() -> Iterator[tuple[str, str | tuple[str, str]]]:
    """Every key (or f-string key pattern) the app's code passes to ``t`` or ``L``, with where."""
    for path in sorted(UI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in TAKES_KEY
            ):
                at = TAKES_KEY[node.func.id]
                if len(node.args) > at:
                    for key in _keys(node.args[at]):
                        yield f"{path.name}:{node.lineno}", key


def test_every_key_the_app_asks_for_exists() -> None:
    found = list(used_keys())
    assert len(found) > 150  # the scan sees the app's calls
    missing = []
    for where, key in found:
        if isinstance(key, str):
            if key not in TEXTS:
                missing.append(f"{where}: {key}")
            continue
        assert key in DOMAINS, f"{where}: name the values of t(f'{key[0]}{{…}}{key[1]}') in DOMAINS"
        missing += [
            f"{where}: {key[0]}{v}{key[1]}"
            for v in DOMAINS[key]
            if f"{key[0]}{v}{key[1]}" not in TEXTS
        ]
    assert not missing, missing


def test_keys_held_in_tables_of_the_app_exist() -> None:
    # Keys the code keeps in a table and passes on as a variable.
    from regionplans.ui import documents_view

    assert set(documents_view.COLUMNS) <= set(TEXTS)
