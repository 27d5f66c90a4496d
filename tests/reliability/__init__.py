"""Fault tests: processes killed mid-write and concurrent editors lose nothing (marked slow)."""
