"""OCR for scanned pages: PDF pages without a text layer, read by Tesseract's Swedish model.

Only pages without text are OCR'd; each is rendered by PDFium (pypdfium2) in grey at
its scan's own resolution (150-300 dpi; 300 when the page holds no image) and read by
the ``tesseract`` command (Debian ``tesseract-ocr`` and ``tesseract-ocr-swe``, which
``scripts/install-system-deps.sh`` installs). Pages are rendered one at a time (PDFium
is not thread-safe) and read by as many Tesseract processes at once as there are CPUs,
each single-threaded, which is faster than one process with many threads.

Tesseract is called directly (``tesseract stdin stdout -l swe``) rather than through
pytesseract or ocrmypdf: pytesseract wraps the same command with temporary files and
no more; ocrmypdf writes a new PDF (and needs Ghostscript and qpdf) when only the text
is wanted. A missing engine or language is an :class:`OcrUnavailable` naming the
packages to install.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from regionplans.config import ocr_languages

log = logging.getLogger(__name__)

_OCR_BULLET = re.compile(r"^[»«*+·©®°■□] (?=\S)", re.MULTILINE)
INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-swe (or run make system-deps)"


class OcrUnavailable(Exception):
    """Tesseract or its Swedish model is not installed; the message says how to install it."""


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How pages are OCR'd. ``languages`` as Tesseract names them ("swe", "swe+eng")."""

    languages: str = field(default_factory=ocr_languages)  # REGIONPLANS_OCR_LANG
    jobs: int = field(default_factory=_default_jobs)
    timeout: float = 180.0  # seconds for one page
    min_dpi: int = 150
    max_dpi: int = 300
    progress: bool | None = None  # None: a progress bar when stderr is a terminal


@dataclass(frozen=True, slots=True)
class OcrResult:
    """The text of each OCR'd page (0-based page index → text) and how long it took."""

    texts: dict[int, str]
    seconds: float
    failed: dict[int, str] = field(default_factory=dict)  # page index → reason


def check_engine(languages: str = "swe") -> str:
    """The ``tesseract`` command to run; :class:`OcrUnavailable` unless it runs and has
    every language of ``languages``."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable(f"the OCR engine Tesseract is not installed; install it with {INSTALL_HINT}")
    have = _languages(binary)
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise OcrUnavailable(
            f"Tesseract has no model for {', '.join(missing)}; install it with sudo apt-get install {packages}"
        )
    return binary


@functools.lru_cache(maxsize=8)
def _languages(binary: str) -> frozenset[str]:
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"the OCR engine Tesseract does not run ({exc}); reinstall it with {INSTALL_HINT}") from exc
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:])


def page_needs_ocr(page: Any, text_chars: int) -> bool:
    """Whether a PDFium page has no text layer but something drawn (a scan, outlined text)."""
    if text_chars > 0:
        return False
    import pypdfium2.raw as raw

    return bool(raw.FPDFPage_CountObjects(page.raw) > 0)


def _scan_dpi(page: Any, options: OcrOptions) -> float:
    """The resolution of the page's largest image, within the options' bounds."""
    import pypdfium2.raw as raw

    best = None
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            meta = obj.get_metadata()
        except Exception:  # noqa: BLE001 - an unreadable image says nothing about the scan
            continue
        if best is None or meta.width * meta.height > best[0]:
            best = (meta.width * meta.height, meta.horizontal_dpi)
    dpi = best[1] if best and best[1] > 0 else options.max_dpi
    return float(min(max(dpi, options.min_dpi), options.max_dpi))


def _render(page: Any, dpi: float) -> bytes:
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _tesseract(binary: str, image: bytes, dpi: float, options: OcrOptions) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [binary, "stdin", "stdout", "-l", options.languages, "--dpi", str(round(dpi)), "--psm", "3"]
    done = subprocess.run(command, input=image, capture_output=True, timeout=options.timeout, env=env, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(message[-1] if message else f"tesseract exited with {done.returncode}")
    # Tesseract ends each page with a form feed, which here would start a page; it
    # reads a bullet as "»", "*" or "©" at the start of a line.
    text = done.stdout.decode("utf-8", "replace").replace("\f", "")
    return _OCR_BULLET.sub("• ", text)


def ocr_pages(
    document: Any,
    indexes: Sequence[int],
    *,
    label: str = "",
    options: OcrOptions | None = None,
    on_page: Callable[[int], None] | None = None,
) -> OcrResult:
    """OCR the pages ``indexes`` (0-based) of a ``pypdfium2.PdfDocument``.

    Raises :class:`OcrUnavailable` when Tesseract or a language is missing; a page that
    fails (a timeout, a damaged image) is reported in ``failed`` and the others go on.
    """
    options = options or OcrOptions()
    binary = check_engine(options.languages)
    start = time.perf_counter()
    texts: dict[int, str] = {}
    failed: dict[int, str] = {}
    bar = None
    if indexes:
        from tqdm import tqdm

        disable = None if options.progress is None else not options.progress
        bar = tqdm(total=len(indexes), desc=f"OCR {label}".strip(), unit="page", disable=disable, leave=False)
    pending: dict[int, Future[str]] = {}

    def collect(index: int) -> None:
        try:
            texts[index] = pending.pop(index).result()
        except subprocess.TimeoutExpired:
            failed[index] = f"OCR stopped after {options.timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            failed[index] = f"OCR failed: {exc}"
        log.info("OCR %s: page %d done (%d of %d)", label, index + 1, len(texts) + len(failed), len(indexes))
        if bar is not None:
            bar.update(1)
        if on_page is not None:
            on_page(index)

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for index in indexes:
            while len(pending) >= max(1, options.jobs):
                collect(next(iter(pending)))
            page = None
            try:
                page = document[index]
                dpi = _scan_dpi(page, options)
                image = _render(page, dpi)
            except Exception as exc:  # noqa: BLE001 - PDFium raises its own error types
                failed[index] = f"page could not be rendered: {exc}"
                continue
            finally:
                if page is not None:
                    page.close()
            pending[index] = pool.submit(_tesseract, binary, image, dpi, options)
        while pending:
            collect(next(iter(pending)))
    if bar is not None:
        bar.close()
    return OcrResult(texts, time.perf_counter() - start, failed)
