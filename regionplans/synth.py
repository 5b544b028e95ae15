"""Realistic Swedish plan text at scale, for benchmarks and load tests.

The generator learns from the seed corpus (``corpus/*.txt``): its sentences (joined
across the PDF line breaks, split with the ingest sentence splitter) and its goal
structure (``MÅL n``, ``Delmål``, ``Åtgärder``). A generated plan belongs to one of
the 21 regions of the gazetteer, carries a decision date, a title in the seeds' style
and sections of recombined seed sentences in which the seeds' own region names are
replaced by the plan's region. Everything is seeded: the same arguments give the
same documents, byte for byte.

Two outputs:

- :func:`write_corpus` writes N documents as ``.txt``, ``.html`` or ``.pdf`` files
  with a ``manifest.csv`` (for ingest throughput);
- :func:`synth_items` returns K chunks as ``(Document, [Chunk])`` pairs directly
  (for index and search at 1k, 10k, 100k chunks, without parsing files).

>>> vocab = load_vocabulary(Path("corpus"))  # doctest: +SKIP
>>> items = synth_items(1000, vocab, seed=1)  # doctest: +SKIP
>>> sum(len(chunks) for _doc, chunks in items)  # doctest: +SKIP
1000
"""

from __future__ import annotations

import csv
import html
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from regionplans.records import Chunk, Document, content_hash

FORMATS: tuple[str, ...] = ("txt", "html", "pdf")

# Seed phrases naming a specific region or hospital, replaced by the plan's own region.
_LOCAL_NAMES = re.compile(
    r"Region(?:en)? (?:Stockholms?|Örebro läns?|Östergötlands?)|Stockholmsregionen|"
    r"Karolinska Universitetssjukhuset|Universitetssjukhuset Örebro|Region Örebro"
)
_LOCAL_PLACES = re.compile(r"\b(?:Stockholm|Örebro|Östergötland)\b")
_LATIN1 = str.maketrans({"–": "-", "—": "-", "”": '"', "“": '"', "’": "'", "•": "-", "…": "..."})
_TITLES = (
    "Handlingsplan för precisionsmedicin {year}–{end}",
    "Strategi för life science i {short}",
    "Precisionshälsa i {region}: mål och åtgärder",
    "Regional utvecklingsplan för hälsa och life science {year}",
    "Kompetenscentrum för precisionsmedicin – beslut i {region}",
)
_DOC_TYPES = ("action plan", "strategy", "action plan", "strategy", "news")
_SECTION_HEADINGS = (
    "Inledning",
    "Bakgrund",
    "Syfte och avgränsning",
    "Genomförande",
    "Uppföljning",
    "Finansiering",
    "Samverkan",
)
_GOAL_PARTS = ("Delmål", "Åtgärder")
_SENTENCE_END = re.compile(r"[.!?]$")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What the generator recombines: seed sentences, goal statements, region names."""

    sentences: tuple[str, ...]
    goals: tuple[str, ...]
    regions: tuple[tuple[str, str], ...]  # (canonical name, short name)


@dataclass(frozen=True, slots=True)
class SynthDocument:
    """One generated plan: its metadata and its sections as (heading path, paragraphs)."""

    name: str
    title: str
    region: str
    doc_type: str
    date: str
    sections: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]

    def text(self) -> str:
        """Plain text in the seeds' layout: a heading line, then paragraphs."""
        out = [self.title, f"Beslutad {self.date}", ""]
        for path, paragraphs in self.sections:
            out += [path[-1], *(p + "\n" for p in paragraphs)]
        return "\n".join(out)


def _unwrap(text: str) -> list[str]:
    """Paragraphs of a seed file with its PDF line breaks (and line-end hyphens) joined."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        joined = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", block)
        joined = " ".join(joined.split())
        if joined:
            paragraphs.append(joined)
    return paragraphs


def load_vocabulary(corpus_dir: Path) -> Vocabulary:
    """Learn sentences and goal statements from ``corpus_dir/*.txt``."""
    from regionplans.ingest.regions import REGIONS
    from regionplans.ingest.sentences import split_sentences

    sentences: list[str] = []
    goals: list[str] = []
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        for paragraph in _unwrap(path.read_text(encoding="utf-8")):
            for sentence, _start, _end in split_sentences(paragraph):
                words = sentence.split()
                if 6 <= len(words) <= 60 and _SENTENCE_END.search(sentence) and sentence[0].isupper():
                    sentences.append(sentence)
                    if re.search(r"\b(ska|skall)\b", sentence):
                        goals.append(sentence)
    if not sentences:
        from regionplans.errors import ConfigError

        raise ConfigError(f"no sentences to learn from in {corpus_dir}/*.txt; point at the seed corpus")
    regions = tuple((r.name, r.short) for r in REGIONS)
    return Vocabulary(tuple(dict.fromkeys(sentences)), tuple(dict.fromkeys(goals or sentences)), regions)


def _localise(sentence: str, region: str) -> str:
    short = region.removeprefix("Region ")
    return _LOCAL_PLACES.sub(short, _LOCAL_NAMES.sub(region, sentence))


def _paragraph(rng: random.Random, pool: Sequence[str], region: str, sentences: int) -> str:
    return " ".join(_localise(rng.choice(pool), region) for _ in range(sentences))


def synth_document(vocab: Vocabulary, number: int, *, seed: int = 0, goals: int = 3) -> SynthDocument:
    """The ``number``-th generated plan: one region, a date, sections and ``goals`` goals."""
    rng = random.Random(f"{seed}:{number}")
    region, short = vocab.regions[number % len(vocab.regions)]
    year = 2015 + rng.randrange(11)
    date = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    kind = rng.randrange(len(_TITLES))
    title = _TITLES[kind].format(year=year, end=year + 4, short=short, region=region)
    sections: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for heading in rng.sample(_SECTION_HEADINGS, 3):
        paragraphs = tuple(_paragraph(rng, vocab.sentences, region, rng.randint(2, 4)) for _ in range(2))
        sections.append(((heading,), paragraphs))
    for n in range(1, goals + 1):
        goal = f"MÅL {n}: {_localise(rng.choice(vocab.goals), region)}"
        sections.append(((goal,), (_paragraph(rng, vocab.sentences, region, 2),)))
        for part in _GOAL_PARTS:
            items = tuple(f"{n}.{i} {_localise(rng.choice(vocab.goals), region)}" for i in range(1, 4))
            sections.append(((goal, part), items))
    slug = re.sub(r"[^a-z0-9]+", "-", short.lower().translate(str.maketrans("åäö", "aao"))).strip("-")
    return SynthDocument(
        name=f"synth-{number:06d}-{slug}", title=title, region=region,
        doc_type=_DOC_TYPES[kind], date=date, sections=tuple(sections),
    )  # fmt: skip


def _html(doc: SynthDocument) -> str:
    body = [f"<h1>{html.escape(doc.title)}</h1>", f'<p class="date">Publicerad: {doc.date}</p>']
    for path, paragraphs in doc.sections:
        level = min(2 + len(path) - 1, 4)
        body.append(f"<h{level}>{html.escape(path[-1])}</h{level}>")
        if len(path) > 1:
            body.append("<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in paragraphs) + "</ul>")
        else:
            body += [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    return (
        f'<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(doc.title)}'
        f' - {html.escape(doc.region)}</title><meta name="date" content="{doc.date}"></head><body>'
        '<nav class="main-nav"><a href="/">Start</a> <a href="/vard">Vård och hälsa</a></nav>'
        f"<main><article>{''.join(body)}</article></main>"
        f"<footer><p>{html.escape(doc.region)}</p></footer></body></html>\n"
    )


def _write_pdf(doc: SynthDocument, path: Path) -> int:
    """A real A4 PDF with a text layer (fpdf2); returns the number of pages."""
    import textwrap

    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(doc.title)
    y = 300.0

    def line(text: str, size: int, bold: bool = False) -> None:
        nonlocal y
        if y > 275:
            pdf.add_page()
            pdf.set_font("Helvetica", size=8)
            pdf.text(20, 12, f"{doc.region} | {doc.title}"[:90].translate(_LATIN1))
            y = 25.0
        pdf.set_font("Helvetica", style="B" if bold else "", size=size)
        # Helvetica is Latin-1: å, ä, ö are in it; the odd dash or quote is not.
        pdf.text(20, y, text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1"))
        y += size * 0.55

    line(doc.title, 16, bold=True)
    line(f"Beslutad {doc.date}", 10)
    for heading_path, paragraphs in doc.sections:
        y += 4
        line(heading_path[-1], 13 if len(heading_path) == 1 else 11, bold=True)
        for paragraph in paragraphs:
            for row in textwrap.wrap(paragraph, 95):
                line(row, 10)
            y += 2
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return int(pdf.pages_count)


def write_corpus(vocab: Vocabulary, out_dir: Path, count: int, fmt: str, *, seed: int = 0,
                 goals: int = 3) -> list[Path]:  # fmt: skip
    """Write ``count`` generated plans as ``fmt`` files (txt, html or pdf) and a manifest.

    The manifest gives each file its region, publisher, type and date, as a real
    corpus folder would. Returns the written document paths.
    """
    if fmt not in FORMATS:
        from regionplans.errors import ConfigError

        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    rows = []
    for number in range(count):
        doc = synth_document(vocab, number, seed=seed, goals=goals)
        path = out_dir / f"{doc.name}.{fmt}"
        if fmt == "txt":
            path.write_text(doc.text(), encoding="utf-8")
        elif fmt == "html":
            path.write_text(_html(doc), encoding="utf-8")
        else:
            _write_pdf(doc, path)
        paths.append(path)
        rows.append([path.name, doc.title, doc.region, doc.region, doc.doc_type, "sv", doc.date, "", "generated"])
    with (out_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "publisher", "regions", "doc_type", "language", "date",
                         "source_url", "notes"])  # fmt: skip
        writer.writerows(rows)
    return paths


def synth_items(chunks: int, vocab: Vocabulary, *, seed: int = 0, per_doc: int = 40,
                words: int = 90) -> list[tuple[Document, list[Chunk]]]:  # fmt: skip
    """``chunks`` chunks of generated plans, as the ingest store would hold them.

    Each document is one generated plan with up to ``per_doc`` chunks of about
    ``words`` words, each under its heading path; offsets point into the document's
    text, so ``document.text[start:end] == chunk.text`` holds as for ingested ones.
    """
    items: list[tuple[Document, list[Chunk]]] = []
    number = 0
    remaining = chunks
    while remaining > 0:
        plan = synth_document(vocab, number, seed=seed, goals=max(3, per_doc // 8))
        rng = random.Random(f"chunks:{seed}:{number}")
        doc_id = content_hash("synth", str(seed), plan.name)
        pieces: list[tuple[tuple[str, ...], str]] = []
        sections = list(plan.sections)
        while len(pieces) < min(per_doc, remaining):
            path, paragraphs = sections[len(pieces) % len(sections)]
            text = " ".join(paragraphs)
            while len(text.split()) < words:
                text += " " + _localise(rng.choice(vocab.sentences), plan.region)
            pieces.append((path, " ".join(text.split()[:words])))
        text_parts: list[str] = []
        chunk_list: list[Chunk] = []
        offset = 0
        for split_id, (path, body) in enumerate(pieces):
            start = offset
            text_parts.append(body)
            offset += len(body) + 2
            chunk_list.append(Chunk(
                chunk_id=Chunk.make_id(doc_id, path, body, split_id), doc_id=doc_id, text=body,
                heading_path=path, page_number=1 + split_id // 4, split_id=split_id,
                split_idx_start=start, split_idx_end=start + len(body),
            ))  # fmt: skip
        document = Document(
            doc_id=doc_id, file_path=f"synth/{plan.name}.txt", title=plan.title, publisher=plan.region,
            regions=(plan.region,), doc_type=plan.doc_type, language="sv", date=plan.date,
            text="\n\n".join(text_parts), file_hash=content_hash("file", doc_id),
            metadata_source="manifest",
        )  # fmt: skip
        items.append((document, chunk_list))
        remaining -= len(chunk_list)
        number += 1
    return items
