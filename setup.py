"""Only the C kernels: the postings' merge kernels (kb/engines/embedded/_merge.c, see
kb/engines/embedded/kernels.py) and a text's unit string (kb/text/_units.c, see kb/text/highlight.py);
everything else is in pyproject.toml. No fused multiply-add (-ffp-contract=off): the kernels give the
very doubles numpy gives.

Both extensions are optional: without a compiler the install goes on and their callers use their
Python twins (the same answers, slower)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("kb.engines.embedded._merge", ["kb/engines/embedded/_merge.c"], optional=True,
                             extra_compile_args=["-O2", "-ffp-contract=off"]),
                   Extension("kb.text._units", ["kb/text/_units.c"], optional=True, extra_compile_args=["-O2"])])
