"""Research over the store: views (views.py), one identity per person (people.py), Finnish
full-text search (search.py), exports in one registry (exports.py: Parquet, CSV, SQLite, Popolo)
and the HTML report (report.py)."""
