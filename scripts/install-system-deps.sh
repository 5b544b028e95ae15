#!/usr/bin/env bash
# Debian packages the project needs: chromium for the browser tests (driven by
# Playwright with executable_path=/usr/bin/chromium; no browser is ever downloaded),
# and Tesseract with its Swedish model for scanned PDFs (ingest.ocr).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
# The Swedish model, whether or not the engine was there already.
if ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe; }; then
  need+=(tesseract-ocr-swe)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-system-deps: missing Debian packages: ${need[*]}" >&2
  echo "install-system-deps: install them as root: apt-get install --no-install-recommends ${need[*]}" >&2
  echo "install-system-deps: (without them the browser and OCR tests cannot run and scanned PDFs are not read)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"; }; then
  echo "install-system-deps: apt-get could not install: ${need[*]}; install them by hand and run again" >&2
  exit 1
fi
