"""Trygghet in samhällsbyggnad: a planner's check of a planned area (domain, pure)."""
