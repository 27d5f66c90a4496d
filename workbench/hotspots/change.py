"""Change between periods per key (area or cell), with the exact Poisson (binomial) test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.situation import change_test


def change_by_key(current: pd.Series, reference: pd.Series, exposure_ratio: float = 1.0) -> pd.DataFrame:
    """``current``/``reference`` are keys of events (one per event). Returns per key: counts,
    difference, p of the exact test and whether the change is significant (5 %)."""
    a = current.dropna().value_counts()
    b = reference.dropna().value_counts()
    keys = a.index.union(b.index)
    frame = pd.DataFrame({"key": keys, "current": a.reindex(keys, fill_value=0).to_numpy(),
                          "reference": b.reindex(keys, fill_value=0).to_numpy()})
    tests = [change_test(int(c), int(r), exposure_ratio) for c, r in
             zip(frame["current"], frame["reference"], strict=True)]
    frame["difference"] = frame["current"] - frame["reference"]
    # typed columns, so an empty comparison (no events) still filters and sorts like a full one
    frame["p"] = pd.Series([t.p_value for t in tests], index=frame.index, dtype=float)
    frame["significant"] = pd.Series([t.significant for t in tests], index=frame.index, dtype=bool)
    frame["change"] = pd.Series([t.label_sv() for t in tests], index=frame.index, dtype=object)
    order = np.lexsort((-frame["difference"].abs().to_numpy(), ~frame["significant"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)
