"""Pages in headless Chromium (skipped without it on a workstation, a failure in CI)."""
