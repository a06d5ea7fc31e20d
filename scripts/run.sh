#!/usr/bin/env bash
# The main job: set up, then process samples/ into out/ (DuckDB store + Parquet + CSV).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-ocr
.venv/bin/minutes run samples/ --out out/ "$@"
echo "tables are in out/ (open out/minutes.duckdb with duckdb, or the .parquet/.csv files)"
