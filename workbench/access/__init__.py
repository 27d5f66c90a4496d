"""The data-access layer: who is signed in (Principal), what they may reach (Scope), and the one
gate (gate.py) through which every page, export and CLI command reads and writes data."""
