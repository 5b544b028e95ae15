"""Real parts a test needs (a browser, Tesseract, mounts): without one, a test is skipped
on a developer's machine and fails where the part is required.

CI requires every part (``.ci/run`` exports ``REQUIRE_BROWSER=1``, ``REQUIRE_OCR=1`` and
``REQUIRE_DISK=1``), so a machine that lacks one cannot pass by skipping its tests.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

VARIABLES = {"browser": "REQUIRE_BROWSER", "ocr": "REQUIRE_OCR", "disk": "REQUIRE_DISK"}


def required(part: str) -> bool:
    """Whether ``part`` (a key of :data:`VARIABLES`) must be there in this run."""
    return os.environ.get(VARIABLES[part], "").strip() not in ("", "0")


def unavailable(part: str, reason: str, *, module: bool = False) -> NoReturn:
    """Skip the test (or the whole ``module``) for lack of ``part``; fail if it is required."""
    if required(part):
        pytest.fail(f"{reason} ({VARIABLES[part]} is set: this run requires it)", pytrace=False)
    pytest.skip(reason, allow_module_level=module)
