"""The DuckDB store (database.py) and its tables as Parquet/CSV files (export.py)."""
