"""Numbers the Swedish way, for screens and documents alike: decimal comma, thousands with a
narrow no-break space, a space before %, a real minus sign, p-values never shown as 0.

>>> integer(1126), decimal(3.94), percent(3.94, 1), signed_percent(-12.4), p_value(0.0004)
('1\\u202f126', '3,9', '3,9 %', '−12 %', 'p < 0,001')
"""

from __future__ import annotations

import math

THOUSANDS = "\u202f"  # narrow no-break space: "1 126"
MINUS = "−"


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def decimal(value: float, digits: int = 1, *, missing: str = "–") -> str:
    """3.94 → '3,9'; 12345.6 → '12 345,6'; a negative number with a real minus sign."""
    if _missing(value):
        return missing
    text = f"{abs(float(value)):,.{digits}f}".replace(",", THOUSANDS).replace(".", ",")
    negative = float(value) < 0 and text.strip("0,\u202f") != ""
    return (MINUS if negative else "") + text


def integer(value: float, *, missing: str = "–") -> str:
    """1126 → '1 126'."""
    return decimal(round(float(value)) if not _missing(value) else value, 0, missing=missing)


def number(value: float, digits: int = 2) -> str:
    """A measured value: whole numbers without decimals, others with up to ``digits`` (34,5)."""
    if _missing(value):
        return "–"
    if float(value).is_integer():
        return integer(value)
    return decimal(value, digits).rstrip("0").rstrip(",")


def signed(value: float, digits: int = 0) -> str:
    """+12 / −3 / ±0 for a change."""
    if _missing(value):
        return "–"
    if round(float(value), digits) == 0:
        return "±0"
    return ("+" if value > 0 else "") + decimal(value, digits)


def metric_delta(value: float) -> str:
    """A change for st.metric: as ``signed`` but with an ASCII '-', which Streamlit reads to turn
    the arrow and the colour (with '−' a fall was drawn as a red rise)."""
    return signed(value).replace(MINUS, "-")


def percent(value: float, digits: int = 0) -> str:
    """A percentage (already ×100): 3.94 → '3,9 %'."""
    return "–" if _missing(value) else f"{decimal(value, digits)} %"


def share(fraction: float, digits: int = 0) -> str:
    """A fraction as a percentage: 0.394 → '39 %'."""
    return "–" if _missing(fraction) else percent(100.0 * float(fraction), digits)


def signed_percent(value: float, digits: int = 0) -> str:
    """A change in per cent: '+12 %', '−4 %', '±0 %'."""
    return "–" if _missing(value) else f"{signed(value, digits)} %"


def p_value(p: float) -> str:
    """'p = 0,03', 'p = 0,21', 'p < 0,001' (never 'p = 0' or 'p = 0,000')."""
    if _missing(p):
        return "p = –"
    p = float(p)
    if p < 0.001:
        return "p < 0,001"
    digits = 3 if p < 0.01 else 2
    return f"p = {decimal(p, digits)}"
