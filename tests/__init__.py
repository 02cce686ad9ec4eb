"""The test suite: a package, so that tests import their helpers from tests.support."""
