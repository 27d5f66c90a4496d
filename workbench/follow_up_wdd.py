"""The Weighted Displacement Difference test (Wheeler & Ratcliffe 2018, Crime Science 7:11) beside
the WDQ: did the place improve more than its comparison area, counting what moved to the ring?

    WDD = ΔT − ΔCt + ΔD − ΔCd,   Δ = after − before
    Var(WDD) = the sum of the counts (independent Poisson counts), z = WDD / √Var

T = the treated place, D = the displacement ring, Ct / Cd = their control areas. A negative WDD is
a net reduction. The test compares raw counts, so each control should have about the level of
what it controls (the paper's assumption); when the same comparison area serves both, WDD =
ΔT + ΔD − 2ΔC and its variance counts the control four times (4·(C0 + C1)). No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from workbench import numbers as nf

MIN_EVENTS = 10      # treated before + after below this: say the count, no verdict
LEVEL_FACTOR = 2.0   # a control with more than 2× (or under ½×) the level: no verdict
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Pair:
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def total(self) -> int:
        return self.before + self.after


@dataclass(frozen=True)
class WDD:
    """The statistic, its variance, z and two-sided p, and what limits the reading."""

    value: float
    variance: float
    z: float
    p: float
    treated: Pair
    control: Pair
    displacement: Pair | None
    displacement_control: Pair | None
    shared_control: bool

    @property
    def level_ratio(self) -> float | None:
        """Control level relative to the treated place before the start (None when undefined)."""
        if self.treated.before == 0:
            return None
        return self.control.before / self.treated.before

    def problems_sv(self, show: Callable[[int], str] = str) -> list[str]:
        """Why the test cannot carry a conclusion (empty when it can). ``show`` formats counts
        (e.g. '<3' on a shared screen)."""
        problems = []
        t = self.treated
        if t.total < MIN_EVENTS:
            problems.append(f"Bara {show(t.total)} händelser på platsen före och efter sammanlagt; "
                            "resultatet är mycket osäkert.")
        ratio = self.level_ratio
        if ratio is None or not 1 / LEVEL_FACTOR <= ratio <= LEVEL_FACTOR:
            level = ("platsen hade inga händelser före" if ratio is None else
                     f"jämförelseområdet hade {_sv(ratio, 1)} gånger så många händelser före som "
                     "platsen")
            problems.append(f"Jämförelseområdet skiljer sig för mycket i nivå ({level}); WDD "
                            "jämför antal och förutsätter ungefär samma nivå – välj ett "
                            "jämförelseområde som liknar platsen.")
        if self.displacement is not None:
            d_control = self.control if self.shared_control else self.displacement_control
            assert d_control is not None  # without its own control the displacement shares control
            d_before = self.displacement.before
            if d_before == 0 or not 1 / LEVEL_FACTOR <= d_control.before / d_before <= LEVEL_FACTOR:
                problems.append("Omgivningens nivå skiljer sig för mycket från dess jämförelseområde; "
                                "förflyttningsdelen av WDD är inte tillförlitlig.")
        return problems

    def figures_sv(self) -> str:
        return (f"WDD = {_sv(self.value, 0)} (varians {_sv(self.variance, 0)}, "
                f"z = {_sv(self.z, 2)}, {_sv_p(self.p)})")

    def reading_sv(self, show: Callable[[int], str] = str) -> str:
        """One Swedish reading; a verdict only when the test carries it."""
        what = ("Platsen och omgivningen mot jämförelseområdet" if self.displacement is not None
                else "Platsen mot jämförelseområdet")
        problems = self.problems_sv(show)
        if problems:
            return f"{what}: {self.figures_sv()}. Ingen slutsats: " + " ".join(problems)
        if self.p >= SIGNIFICANCE:
            return (f"{what}: {self.figures_sv()} – skillnaden kan vara slump, ingen säker effekt.")
        if self.value < 0:
            return (f"{what}: {self.figures_sv()} – säker nettominskning jämfört med "
                    "jämförelseområdet.")
        return (f"{what}: {self.figures_sv()} – säker nettoökning jämfört med jämförelseområdet; "
                "åtgärden har inte minskat brottsligheten.")


def _sv(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "−")


def _sv_p(p: float) -> str:
    return nf.p_value(p)


def wdd(treated: Pair, control: Pair, displacement: Pair | None = None,
        displacement_control: Pair | None = None) -> WDD:
    """The WDD test. Without ``displacement_control`` the ring is compared with ``control`` too.

    Derived from the published formulas (see tests/unit/test_follow_up.py for a worked example):
    >>> w = wdd(Pair(40, 20), Pair(40, 40))
    >>> w.value, w.variance, round(w.z, 2)
    (-20.0, 140.0, -1.69)
    """
    value = treated.change - control.change
    variance = treated.total + control.total
    shared = False
    if displacement is not None:
        shared = displacement_control is None
        other = control if displacement_control is None else displacement_control
        value += displacement.change - other.change
        variance += displacement.total + (3 * control.total if shared else other.total)
    z = value / np.sqrt(variance) if variance > 0 else 0.0
    p = float(2.0 * norm.sf(abs(z)))
    return WDD(float(value), float(variance), float(z), p, treated, control, displacement,
               displacement_control, shared)
