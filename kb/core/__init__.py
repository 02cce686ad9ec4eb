"""Core: the plain data, errors, settings, the corpus on disk, durable files, locks and caches that every step shares."""
