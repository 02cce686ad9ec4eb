"""Search: a request, its answer (hits, facets, suggestions), compare, similar, export and listings, on the engine protocol."""
