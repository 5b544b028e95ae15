"""Ingest throughput on PDFs, before and after a change: pages per second, interleaved runs.

Writes three generated corpora once (into a temporary folder):

- ``text``: generated plans as plain text PDFs (``regionplans.synth``), the corpus the
  ``regionplans bench`` parse row measures;
- ``word``: the same plans rendered as Word-style PDFs (``regionplans.eval.devfiles``):
  cover page, table of contents with dot leaders, running header, page counter, tables,
  every third one in two columns;
- ``scan``: a few of them as scans (page images, no text layer), for OCR.

Then it ingests each corpus into a fresh store in a fresh process, ``--rounds`` times,
alternating the code under test (the working tree) with ``--base`` (a git revision,
exported with ``git archive`` and put first on ``PYTHONPATH``), so both see the same
machine load. Prints a Markdown table of the medians (pages/s) and writes it to ``--out``.

    .venv/bin/python scripts/bench_ingest.py --base 6cc65da --rounds 5 --out eval/reports/ingest_files.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_corpora(base: Path, count: int, scans: int) -> dict[str, Path]:
    """The three corpora under ``base``; returns their folders."""
    from regionplans.eval.devfiles import Source, render_pdf, render_scan
    from regionplans.synth import load_vocabulary, synth_document, write_corpus

    vocab = load_vocabulary(ROOT / "corpus")
    folders = {"text": base / "text", "word": base / "word", "scan": base / "scan"}
    write_corpus(vocab, folders["text"], count, "pdf")
    folders["scan"].mkdir(parents=True, exist_ok=True)
    for number in range(count):
        doc = synth_document(vocab, number)
        meta = {"header": f"{doc.region} | {doc.title}", "footer": "Sida {n} av {N}",
                "meta_title": f"Microsoft Word - {doc.name}.docx"}  # fmt: skip
        if number % 3 == 2:
            meta["columns"] = "2"
        blocks: list[tuple[str, str]] = [("title", doc.title), ("p", doc.region), ("pagebreak", ""),
                                         ("toc", ""), ("pagebreak", "")]  # fmt: skip
        for path, paragraphs in doc.sections:
            blocks.append(("h1" if len(path) == 1 else "h2", path[-1]))
            kind = "p" if len(path) == 1 else "bullet"
            blocks += [(kind, p) for p in paragraphs]
        src = Source(meta, blocks)
        render_pdf(src, folders["word"] / f"{doc.name}.pdf")
        if number < scans:
            scan_blocks = [b for b in blocks if b[0] not in ("toc", "pagebreak")][:30]
            render_scan(Source(meta, scan_blocks), folders["scan"] / f"{doc.name}.pdf")
    return folders


def measure(folder: Path) -> dict[str, object]:
    """Ingest ``folder`` into a fresh store (in this process); time and pages."""
    import pypdf

    from regionplans.ingest.pipeline import ingest_directory

    pages = sum(len(pypdf.PdfReader(p).pages) for p in folder.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = ingest_directory(folder, Path(tmp) / "store")
        seconds = time.perf_counter() - start
    reasons = sorted({f.reason for f in report.files if f.status != "ingested"})
    return {"seconds": seconds, "pages": pages, "ingested": report.ingested, "failed": report.failed,
            "chunks": report.chunks, "reasons": reasons[:3]}  # fmt: skip


def export_tree(rev: str, dest: Path) -> Path:
    """The package as of ``rev``, laid out as it installs (``regionplans.ingest`` ...)."""
    src = dest / "src"
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    archive_path = dest / "src.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(src, filter="data")
    config = tomllib.loads((src / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    tree = dest / "tree"
    for package, folder in sorted(mapping.items(), key=lambda item: item[0].count(".")):
        target = tree.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for source in (src / folder).iterdir():
            if source.is_file():
                (target / source.name).symlink_to(source)
    return tree


def run_worker(folder: Path, tree: Path | None) -> dict[str, object]:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    out = subprocess.run([sys.executable, __file__, "--measure", str(folder)], env=env, check=True,
                         capture_output=True, text=True, cwd=tempfile.gettempdir()).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base", help="git revision to compare with (e.g. 6cc65da)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=30, help="plans per corpus")
    parser.add_argument("--scans", type=int, default=4, help="scanned plans")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        base = Path(tmp)
        folders = write_corpora(base / "corpora", args.count, args.scans)
        trees: dict[str, Path | None] = {"this tree": None}
        if args.base:
            trees = {f"base {args.base}": export_tree(args.base, base / "base"), **trees}
        results: dict[tuple[str, str], list[dict[str, object]]] = {}
        for round_ in range(args.rounds):
            for corpus, folder in folders.items():
                if corpus == "scan" and round_ >= 2:
                    continue  # OCR takes seconds a page: two rounds are enough
                for label, tree in trees.items():
                    row = run_worker(folder, tree)
                    results.setdefault((corpus, label), []).append(row)
                    print(f"round {round_ + 1} {corpus:5s} {label:16s} {row['seconds']:.2f} s "
                          f"{row['pages']} pages, {row['ingested']} ingested, {row['failed']} failed",
                          file=sys.stderr)  # fmt: skip
    lines = ["| corpus | code | files ingested / failed | pages | chunks | median s | pages/s | vs base |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for corpus in folders:
        base_rate = None
        for label in trees:
            rows = results.get((corpus, label), [])
            if not rows:
                continue
            secs = statistics.median(float(r["seconds"]) for r in rows)  # type: ignore[arg-type]
            pages = int(rows[0]["pages"])  # type: ignore[call-overload]
            rate = pages / secs
            ratio = "" if base_rate is None else f"{rate / base_rate:.2f}×"
            if label.startswith("base"):
                base_rate = rate if rows[0]["ingested"] else None
            shown = f"{rate:.1f}" if rows[0]["ingested"] else "— (every file failed)"
            lines.append(f"| {corpus} | {label} | {rows[0]['ingested']} / {rows[0]['failed']} | {pages} | "
                         f"{rows[0]['chunks']} | {secs:.2f} | {shown} | {ratio} |")  # fmt: skip
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        note = (f"Ingest throughput ({args.rounds} interleaved rounds, medians; {os.cpu_count()} CPUs; "
                f"{time.strftime('%Y-%m-%d')}). `python scripts/bench_ingest.py"
                f"{' --base ' + args.base if args.base else ''} --rounds {args.rounds}`\n\n")  # fmt: skip
        args.out.write_text(note + table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
