"""The `minutes` command line: the only importer of flows/."""
