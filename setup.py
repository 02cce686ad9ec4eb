"""Only the C merge kernels (kb/engines/embedded/_merge.c, see kb/engines/embedded/kernels.py); everything else is in pyproject.toml.
No fused multiply-add (-ffp-contract=off): the kernels give the very doubles numpy gives.

The extension is optional: without a compiler the install goes on and kb.engines.embedded.kernels uses its
numpy twins (the same answers, slower)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("kb.engines.embedded._merge", ["kb/engines/embedded/_merge.c"], optional=True,
                             extra_compile_args=["-O2", "-ffp-contract=off"])])
