"""A hot-spot cell's text says why Gi* marks it: its neighbourhood, with the neighbourhood's count."""

from __future__ import annotations

import numpy as np

from workbench.geo.grid import Grid
from workbench.hotspots.gistar import HotspotResult, cell_text, gi_star


def test_an_empty_cell_in_a_busy_neighbourhood_is_explained():
    counts = np.zeros((15, 15))
    counts[6:9, 6:9] = 12
    counts[7, 7] = 0  # the middle cell itself has nothing
    z, p, p_fdr, classes = gi_star(counts)
    result = HotspotResult(Grid(0, 0, 250, 15, 15), counts.ravel(), z, p, p_fdr, classes)
    middle = 7 * 15 + 7
    assert result.hotspot_class[middle].startswith("hot")
    assert result.neighbourhood()[middle] == 8 * 12
    assert result.neighbourhood()[0] == 0 and result.neighbourhood()[5 * 15 + 5] == 12
    text = cell_text(result.hotspot_class[middle], "0", "96")
    assert "0 händelser i rutan, 96 i rutan och de 8 rutorna runt den" in text
    assert "grannskapet har fler händelser än väntat" in text
    assert text.startswith("Hot-spot, ")
    assert cell_text("ns", "3", "5") == "3 händelser i rutan, 5 i rutan och de 8 rutorna runt den."


def test_the_map_tip_names_the_neighbourhood_count():
    from workbench.hotspots.gistar import cell_tip

    assert cell_tip("hot_99", "0", "96") == "Hot-spot, 99 % konfidens: 0 i rutan, 96 i grannskapet"
