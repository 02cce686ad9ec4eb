"""The embedded engine: numpy postings in generations on disk (the stored fields in them), the Whoosh index of the keys, tiers and ranking.

Its modules, in the order of the pipeline:

- writing (called by :mod:`kb.build`): :mod:`.writer` (a paragraph's analysis, a segment
  written), :mod:`.segment` (what a segment holds, read memory-mapped; :mod:`.positions`: the grams'
  positions in blocks), :mod:`.merge` (which
  segments a build drops or merges), :mod:`.stored` (the stored fields of the paragraphs), :mod:`.store` (the paragraphs' keys, Whoosh),
  :mod:`.generations` (the layout of ``index/``, the generation served, checked);
- searching: :mod:`.reader` (the segments of a generation as one index: terms, words and
  their BM25), :mod:`.scored` (scored sets: union, intersection, minus), :mod:`.tiers` (a
  query tree's exact and related matches, and why), :mod:`.engine` (the
  :class:`~kb.engines.protocol.Engine` of one generation), :mod:`.spellings`;
- below them: :mod:`.columns` (facet columns) and :mod:`.kernels` (the C merge kernels and
  their numpy twins).
"""
