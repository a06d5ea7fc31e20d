#!/usr/bin/env bash
# Set up everything minutes needs on a Debian machine with Python >= 3.11: the Voikko system
# packages (and tesseract for OCR when asked), a .venv, the project and its dependencies.
# Idempotent and quick when nothing changed. Usage: scripts/setup.sh [--with-ocr] [--with-test]
set -euo pipefail
cd "$(dirname "$0")/.."

apt_pkgs=(libvoikko1 voikko-fi)
extras="dask"
for arg in "$@"; do
  case "$arg" in
    --with-ocr) apt_pkgs+=(tesseract-ocr tesseract-ocr-fin) ;;
    --with-test) extras="test,dask"; apt_pkgs+=(chromium) ;;   # the report is checked in headless Chromium
  esac
done

missing=()
for pkg in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "setup: installing Debian packages with sudo: ${missing[*]}"
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: minutes needs these Debian packages. Run, then try again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

py="${PYTHON:-}"
if [ -z "$py" ]; then
  for cand in python3.11 python3.12 python3.13 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      py="$cand"; break
    fi
  done
fi
if [ -z "$py" ]; then
  echo "setup: Python 3.11 or newer is needed: sudo apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $py"
  "$py" -m venv .venv || { echo "setup: venv failed: sudo apt-get install -y python3-venv" >&2; exit 1; }
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-${extras//,/-}"
if [ ! -f "$stamp" ]; then
  echo "setup: installing minutes and its dependencies into .venv (a few minutes the first time)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[${extras}]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
