"""The real index built from the seeds: building, opening, matching, ranking, imports and derived data."""
