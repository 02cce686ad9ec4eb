"""The Sphinx engine on real searchd processes (skipped without searchd, a failure in CI)."""
