"""Uppföljning: did an action at a place work? Before/after counts at the place, in a buffer
around it and in a comparison area, with an exact test and the Weighted Displacement Quotient.

WDQ (Bowers & Johnson 2003) = (Da/Ca − Db/Cb) / (Ra/Ca − Rb/Cb), R = the place (response area),
D = the buffer (displacement area), C = the comparison (control) area, b/a = before/after.
It is only defined when the place improved relative to the comparison area (denominator < 0).
Beside it the Weighted Displacement Difference test (follow_up_wdd.py), which has a variance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from workbench import numbers as nf
from workbench.follow_up_wdd import WDD, Pair, wdd
from workbench.geo.assign import assign_points
from workbench.situation import Change, change_test


@dataclass(frozen=True)
class Counts:
    before: int
    after: int


@dataclass(frozen=True)
class FollowUpResult:
    """Counts in equal windows before and after ``start``, the test and the WDQ with its reading."""

    start: date
    window_days: int
    target: Counts
    buffer: Counts
    control: Counts | None
    change: Change
    wdq: float | None
    wdd: WDD | None = None  # Wheeler & Ratcliffe's test of the place (with a comparison area only)
    wdd_displacement: WDD | None = None  # the same with the ring counted

    def verdict_sv(self, show: Callable[[int], str] = str) -> str:
        """Plain Swedish, and never more than the numbers support. ``show`` formats the counts
        (e.g. '<3' on a shared screen and in documents)."""
        t = self.target
        parts = [f"På platsen: {show(t.before)} händelser de {self.window_days} dagarna före och "
                 f"{show(t.after)} de {self.window_days} dagarna efter starten."]
        if t.before + t.after < 10:
            parts.append("För få händelser för att säga något om effekten.")
        elif not self.change.significant:
            parts.append(f"Skillnaden kan vara slump (exakt test, {nf.p_value(self.change.p_value)}); "
                         "ingen säker förändring.")
        else:
            direction = "minskning" if t.after < t.before else "ökning"
            parts.append(f"Säker {direction} på platsen (exakt test, {nf.p_value(self.change.p_value)}).")
        if self.control is None:
            parts.append("Utan jämförelseområde går det inte att skilja åtgärdens effekt från "
                         "den allmänna utvecklingen.")
        parts.append(wdq_reading_sv(self.wdq))
        for test in (self.wdd, self.wdd_displacement):
            if test is not None:
                parts.append(test.reading_sv(show))
        return " ".join(parts)


def wdq(target: Counts, buffer: Counts, control: Counts) -> float | None:
    """Weighted Displacement Quotient; None when undefined (no relative improvement at the place,
    or an empty comparison area).

    >>> round(wdq(Counts(40, 20), Counts(30, 25), Counts(100, 100)), 2)  # benefits spread
    0.25
    >>> round(wdq(Counts(40, 20), Counts(30, 40), Counts(100, 100)), 2)
    -0.5
    """
    if control.before == 0 or control.after == 0:
        return None
    success = target.after / control.after - target.before / control.before
    if success >= 0:
        return None
    return (buffer.after / control.after - buffer.before / control.before) / success


def wdq_reading_sv(value: float | None) -> str:
    if value is None:
        return ("Förflyttning (WDQ) kan inte bedömas: platsen förbättrades inte jämfört med "
                "jämförelseområdet, eller jämförelseområdet saknar händelser.")
    if value > 1:
        return (f"WDQ = {nf.decimal(value, 2)}: spridning av vinster – omgivningen förbättrades mer än "
                "platsen själv.")
    if value > 0:
        return f"WDQ = {nf.decimal(value, 2)}: viss spridning av vinster till omgivningen, ingen förflyttning."
    if value == 0:
        return "WDQ = 0: varken förflyttning eller spridning av vinster."
    if value >= -1:
        return (f"WDQ = {nf.decimal(value, 2)}: viss förflyttning till omgivningen, men mindre än "
                "minskningen på platsen – en nettovinst.")
    return (f"WDQ = {nf.decimal(value, 2)}: förflyttningen till omgivningen är större än minskningen på "
            "platsen – ingen nettovinst.")


def _count(x: np.ndarray, y: np.ndarray, geometry: BaseGeometry | None) -> np.ndarray:
    if geometry is None:
        return np.zeros(len(x), dtype=bool)
    return assign_points(x, y, [geometry]) >= 0


def follow_up(events: pd.DataFrame, *, start: date, window_days: int, place: BaseGeometry,
              buffer_m: float = 200.0, control: BaseGeometry | None = None) -> FollowUpResult:
    """Before/after counts of ``events`` (columns x, y, time; EPSG:3006) around ``start``.

    The buffer is the ring from the place's edge out to ``buffer_m``; the comparison area, if
    given, excludes the place and the buffer.
    """
    if window_days < 1:
        raise ValueError("fönstret måste vara minst en dag")
    t0 = datetime.combine(start, time())
    window = timedelta(days=window_days)
    times = events["time"]
    events = events[((times >= t0 - window) & (times < t0 + window)).to_numpy()]  # the windows only
    times = events["time"]
    before = (times < t0).to_numpy()
    after = (times >= t0).to_numpy()
    x, y = events["x"].to_numpy(float), events["y"].to_numpy(float)
    ring = place.buffer(buffer_m).difference(place)
    comparison = control.difference(place.buffer(buffer_m)) if control is not None else None

    def counts(geometry) -> Counts:
        inside = _count(x, y, geometry)
        return Counts(int((inside & before).sum()), int((inside & after).sum()))

    target, around = counts(place), counts(ring)
    control_counts = counts(comparison) if comparison is not None else None
    change = change_test(target.after, target.before)
    quotient = wdq(target, around, control_counts) if control_counts is not None else None
    place_test = ring_test = None
    if control_counts is not None:
        pairs = [Pair(c.before, c.after) for c in (target, control_counts, around)]
        place_test, ring_test = wdd(pairs[0], pairs[1]), wdd(*pairs)
    return FollowUpResult(start, window_days, target, around, control_counts, change, quotient,
                          place_test, ring_test)
