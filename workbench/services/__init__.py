"""Use cases that combine io, domain and store: one transaction per user action."""
