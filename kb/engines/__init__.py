"""Engines: the one protocol between the search layer and an index, the query tree, the field registry, and the engines."""
