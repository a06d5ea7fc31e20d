#!/usr/bin/env bash
# The test suite: set up (with tesseract for the OCR tests), then pytest. Exit 5 (no tests) fails.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test --with-ocr || exit 1
# one test process per core, at most four (pytest-xdist; a module stays on one process, so its
# fixtures are built once): the suite waits on subprocesses and servers a lot, which another fills
.venv/bin/python -m pytest -q -n auto --maxprocesses 4 --dist loadfile "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "test.sh: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
