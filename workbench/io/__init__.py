"""Reading files: tables (CSV/XLSX), map layers, and the importers that turn them into canonical frames."""
