"""The cluster engine: a Sphinx or Manticore search cluster reached over SphinxQL."""
