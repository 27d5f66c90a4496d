"""Privacy: scan free text for personal data and redact it; suppress small counts."""
