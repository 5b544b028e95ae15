"""The saved corpus state (word counts, sites, signatures) follows the store file by
file: after any run it equals the state rebuilt from the stored files, and adding one
file reads only the stored files of its own site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regionplans.ingest.corpus import FILENAME, CorpusState
from regionplans.ingest.corrections import Corrections
from regionplans.ingest.pipeline import apply_corrections, ingest_directory
from regionplans.ingest.store import IngestStore
from regionplans.synth import load_vocabulary, write_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def saved_equals_rebuilt(store_dir: Path) -> None:
    store = IngestStore(store_dir)
    catalog = store.catalog()
    saved = CorpusState.from_dict(json.loads((store_dir / FILENAME).read_text(encoding="utf-8")))
    rebuilt = CorpusState.rebuild(store, catalog)
    assert saved.matches(catalog)
    assert saved.files == rebuilt.files
    assert +saved.words == +rebuilt.words and +saved.hyphenated == +rebuilt.hyphenated
    assert saved.signatures == rebuilt.signatures


def test_state_follows_adds_changes_and_removals(tmp_path: Path) -> None:
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    write_corpus(load_vocabulary(CORPUS), corpus, 8, "txt")
    assert ingest_directory(corpus, store_dir).ingested == 8
    saved_equals_rebuilt(store_dir)

    files = sorted(corpus.glob("*.txt"))
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n\nEtt nytt stycke om biobanker.\n",
                        encoding="utf-8")  # fmt: skip
    files[1].unlink()
    (corpus / "extra.txt").write_text("Region Gotland\n\nGotland satsar på precisionshälsa och "
                                      "kompetensförsörjning inom genomik.\n", encoding="utf-8")  # fmt: skip
    report = ingest_directory(corpus, store_dir)
    assert (report.ingested, report.removed, report.unchanged) == (2, 1, 6)
    saved_equals_rebuilt(store_dir)

    # A stale or missing state is rebuilt, and the next change saves it whole again.
    (store_dir / FILENAME).write_text("{}", encoding="utf-8")
    files[2].write_text(files[2].read_text(encoding="utf-8") + "\n\nOch ännu ett stycke.\n", encoding="utf-8")
    assert ingest_directory(corpus, store_dir).ingested == 1
    saved_equals_rebuilt(store_dir)


def test_one_changed_file_reads_its_site_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    write_corpus(load_vocabulary(CORPUS), corpus, 30, "txt")
    assert ingest_directory(corpus, store_dir).ingested == 30
    changed = sorted(corpus.glob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nEtt nytt stycke om AI i vården.\n",
                       encoding="utf-8")  # fmt: skip
    reads: list[str] = []
    raw, document = IngestStore.raw, IngestStore.document

    def counted_raw(self: IngestStore, file_hash: str):  # type: ignore[no-untyped-def]
        reads.append("raw")
        return raw(self, file_hash)

    def counted_document(self: IngestStore, doc_id: str):  # type: ignore[no-untyped-def]
        reads.append("document")
        return document(self, doc_id)

    monkeypatch.setattr(IngestStore, "raw", counted_raw)
    monkeypatch.setattr(IngestStore, "document", counted_document)
    report = ingest_directory(corpus, store_dir)
    assert report.ingested == 1 and report.unchanged == 29
    state = CorpusState.from_dict(json.loads((store_dir / FILENAME).read_text(encoding="utf-8")))
    site = state.files[IngestStore(store_dir).catalog()[changed.name].file_hash]
    same_site = list(state.files.values()).count(site)
    assert same_site < 10  # the generated plans spread over the regions
    # The reader cache looked up for the new version, its site's stored files (for
    # chrome; the old version among them) and the old version again (to subtract its
    # words): not the other sites' files.
    assert reads.count("raw") <= same_site + 2, (reads.count("raw"), same_site)
    # Only stored documents that share a MinHash band with it are loaded for the exact
    # near-duplicate check (generated plans share stock sentences; real ones rarely).
    assert reads.count("document") <= 3, reads


def test_a_corrected_publisher_is_the_files_site_saved_and_rebuilt(tmp_path: Path) -> None:
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    write_corpus(load_vocabulary(CORPUS), corpus, 4, "txt")
    assert ingest_directory(corpus, store_dir).ingested == 4
    key = sorted(IngestStore(store_dir).catalog())[0]
    Corrections(store_dir).update(key, {"publisher": "Nyhetsbyrån Norr"})
    apply_corrections(store_dir)
    saved_equals_rebuilt(store_dir)
    state = CorpusState.from_dict(json.loads((store_dir / FILENAME).read_text(encoding="utf-8")))
    assert state.files[IngestStore(store_dir).catalog()[key].file_hash] == "nyhetsbyrån norr"
