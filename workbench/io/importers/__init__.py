"""Importers: one module per source kind, all producing canonical frames (see workbench.schema)."""
