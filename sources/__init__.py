"""Where documents come from: files and folders (discover.py), an inbox, URL lists and RSS/Atom
feeds (feeds.py), HTTP with limits and revalidation (fetch.py), and the archive (archive.py)."""
