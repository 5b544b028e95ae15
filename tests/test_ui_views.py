"""The search, documents and upload views' texts (no browser, no index): reasons and
statuses in both languages, notices about regions, undated documents and dates,
labelled metadata, and the edit form's changes."""

from __future__ import annotations

import pytest

from regionplans.ingest.documents import DocumentInfo
from regionplans.ingest.store import FileReport, IngestReport
from regionplans.ingest.uploads import UploadResult
from regionplans.ingest.worker import memory_message, stopped_message
from regionplans.records import Document, SearchFilters, SearchResult
from regionplans.ui import documents_view as dv
from regionplans.ui import search_view as sv
from regionplans.ui.reasons import reason


def _doc(name: str, regions: tuple[str, ...], date: str | None, path: str = "x.txt") -> Document:
    return Document(doc_id=name, file_path=path, title=name, publisher=regions[0] if regions else "Lif",
                    regions=regions, doc_type="action plan", language="sv", date=date, text="", file_hash="h")  # fmt: skip


DOCS = [_doc("a", ("Region Stockholm",), "2023-01-02"), _doc("b", ("Region Stockholm",), None),
        _doc("c", (), None), _doc("d", ("Region Örebro län",), "2021")]  # fmt: skip


def test_reasons_in_both_languages() -> None:
    assert reason("empty file (0 bytes)", "sv") == "tom fil (0 byte)"
    assert reason("not a PDF file (no %PDF header); corrupt or wrong extension", "sv").startswith("inte en PDF-fil")
    assert reason("same content as /srv/data/uploads/plan.txt", "en") == "same content as plan.txt"
    assert reason("near-duplicate of corpus/a.txt (≥ 90 % the same text)", "sv") == "nästan samma text som a.txt (minst 90 %)"
    # The budgets and size limits, with the setting that raises them.
    assert reason(stopped_message(3), "sv").startswith("stoppades efter 3 s") and "REGIONPLANS_FILE_SECONDS" in reason(stopped_message(3), "sv")
    assert reason(memory_message(512), "sv").startswith("över minnesbudgeten") and "512 MB" in reason(memory_message(512), "sv")
    assert reason("file too large (12.5 MB > limit 10.0 MB); raise REGIONPLANS_MAX_FILE_MB or --max-file-mb to ingest it", "sv") == (
        "filen är för stor (12.5 MB, gränsen är 10.0 MB); höj REGIONPLANS_MAX_FILE_MB för att läsa in den")
    assert reason("the .docx holds 210 MB of XML (limit 50 MB); raise REGIONPLANS_MAX_DOCX_XML_MB to read it", "sv").startswith(
        "Word-filen innehåller 210 MB XML")
    # A reason of no known kind keeps its words inside a translated frame.
    assert reason("a reader error nobody foresaw", "sv") == "kunde inte läsas (a reader error nobody foresaw)"


def test_upload_outcome_lists_every_file() -> None:
    report = IngestReport(files=(FileReport("/srv/data/uploads/tom.pdf", "failed", "empty file (0 bytes)"),
                                 FileReport("/srv/data/uploads/kopia.txt", "duplicate", "same content as corpus/a.txt"),
                                 FileReport("/srv/data/uploads/plan_2-1231b77d.txt", "ingested", "")))  # fmt: skip
    out = dv.upload_html(UploadResult(report, (), ()), ["tom.pdf", "kopia.txt", "plan 2.txt"], [("x.exe", "bad_type")], 7, "sv", 25)
    assert "0 inlästa" not in out and "1 inlästa" in out and "2 misslyckade" in out and "1 dubbletter" in out
    assert "tom.pdf: misslyckades (tom fil (0 byte))" in out and "kopia.txt: dubblett (samma innehåll som a.txt)" in out
    assert "plan 2.txt: inläst" in out and "x.exe: avvisad (filtypen stöds inte)" in out and "/srv" not in out


def test_search_notices() -> None:
    flt = SearchFilters(regions=("Region Skåne",))
    out = sv.search_html(SearchResult("AI", "hybrid", (), flt, ("Region Skåne",), True, 0), DOCS, "sv")
    assert "Korpusen har inga dokument från Region Skåne" in out and "Sökte i 0" not in out and "hybrid" not in out
    assert sv.undated_left_out(SearchFilters(date_from="2022"), DOCS) == 2
    assert sv.undated_left_out(SearchFilters(regions=("Region Stockholm",), date_to="2024"), DOCS) == 1
    assert sv.undated_left_out(SearchFilters(), DOCS) == 0
    assert sv.date_error(("2022-13-45", ""), "en") == ("The date '2022-13-45' does not exist: write YYYY, YYYY-MM or "
                                                       "YYYY-MM-DD, e.g. 2022-05-19.")  # fmt: skip
    assert sv.date_error(("2022", "2023-02-28", None), "sv") is None


def test_metadata_labelled_once_and_pages_only_for_pdfs() -> None:
    meta = sv.meta_html(DOCS[0], "sv", page=1)
    assert meta.count("Region Stockholm") == 1 and "Gäller" not in meta and "handlingsplan" in meta and "Sida" not in meta
    assert "Sida:" in sv.meta_html(_doc("p", ("Region Stockholm",), None, "p.pdf"), "sv", page=3)
    assert "Gäller:</span> <span class=\"rp-content\">nationell" not in sv.meta_html(DOCS[2], "sv")


def test_edit_form_changes_only_what_was_changed() -> None:
    info = DocumentInfo("a.txt", DOCS[0], "directory", 1, 1, {})
    same = dv.edit_values(info)
    assert dv.changes(info, *same, "sv") == ({}, None)
    changed, problem = dv.changes(info, "Ny titel", same[1], "gävleborg; Dalarna", "strategy", "2024-02", "", "sv")
    assert problem is None and changed == {"title": "Ny titel", "regions": ["Region Gävleborg", "Region Dalarna"],
                                           "doc_type": "strategy", "date": "2024-02"}  # fmt: skip
    assert "2022-13-45" in str(dv.changes(info, *same[:4], "2022-13-45", "", "sv")[1])
    assert dv.changes(info, *same[:5], "/tmp/x", "en")[1] == "The source URL must start with http:// or https://."
    assert dv.changes(info, "", *same[1:], "en")[1] == "The field title cannot be empty."
    assert '<td class="rp-content">a</td>' in dv.table_html([info], "en")


def test_an_unknown_region_is_said_in_the_users_language() -> None:
    from regionplans.errors import UnknownNameError
    from regionplans.ingest.regions import resolve_region
    from regionplans.ui.inputs import say

    with pytest.raises(UnknownNameError) as caught:
        resolve_region("Stokholm")
    assert say(caught.value, "sv") == "Okänd region ”Stokholm”; menade du Region Stockholm?"
    assert say(caught.value, "en") == "Unknown region “Stokholm”; did you mean Region Stockholm?"
    with pytest.raises(UnknownNameError) as caught:
        resolve_region("Qwxyzzy")
    assert say(caught.value, "sv").startswith("Okänd region ”Qwxyzzy”; välj en av: ") and "Region Västerbotten" in say(caught.value, "sv")
