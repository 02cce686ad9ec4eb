"""Tools that measure the product and mine its dictionaries, beside the pipeline and not
installed (pyproject's packages are kb and web). They import kb; kb never imports them.
Run them from the project root (their defaults point into tests/data and ../shared):

    python -m tools.evaluate ranking [--judgments FILE] [--real TARBALL] [--json]
    python -m tools.evaluate topics [--labels FILE] [--real TARBALL] [--json]
    python -m tools.figeval [--labels FILE ...] [--real TARBALL] [--errors] [--json]
    python -m tools.figsample [--seed N] [--paragraphs N] [--exclude FILE] | --strip FILE
    python -m tools.conceptmine suggest [--corpus DIR] [--for TERM ...] [--json]

- :mod:`tools.evaluate`: ranking against judged queries, topics against labelled paragraphs;
- :mod:`tools.figeval`: the figure extraction against labelled paragraphs;
- :mod:`tools.figsample`: real paragraphs drawn at random (fixed seed) for labelling their figures;
- :mod:`tools.conceptmine`: entries for ``kb/data/concepts.toml`` proposed from a corpus;
- :mod:`tools.shell`: the options and the error handling they share with ``kb``.
"""
