"""One module or function at a time, on the seeds and generated samples (no index)."""
