"""Hot-spot analysis: Getis-Ord Gi* on a grid, kernel density, rankings, time profiles, change."""
