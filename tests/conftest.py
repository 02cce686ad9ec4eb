"""Shared fixtures: the real seed corpus, indexed once per session into a temporary folder.

- ``corpus_dir``: a temporary copy of ``corpus/`` (tests never touch the committed files);
- ``index_dir``: that corpus indexed once with :func:`kb.build.build`;
- ``kb``: a :class:`kb.search.KnowledgeBase` over both;
- ``app`` / ``client``: the Flask app over the same folders (imported lazily, so the
  library tests run without ``web/``);
- ``search``: ``search(kb, q="", **params)`` -> the result dict of one search, where
  ``params`` are facet filters or page/size/sort, each a string or a list of strings;
  ``hit_ids`` the same, paged through: the ids of every hit;
- ``real_judged``: the judged real reports (tests/data/judgments_real.toml) imported from
  ``../shared/data`` and indexed, with their judgments;
- ``SEEDS`` / ``MANIFEST``: the five raw seed reports beside the project
  (``../shared/seeds``) and the manifest that gives their metadata;
- ``hostile``: (corpus, index) of the seed corpus plus a hostile report
  (``tests/data/hostile/``: ``<script>``, ``<img onerror>``, event handlers and
  ``javascript:`` links in its title, metadata, headings and text, and control
  characters), and ``hostile_client`` the Flask test client over it.

Tests that change a corpus or an index make their own copies (see ``fresh_copy``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb import build
from kb.engines.embedded import generations
from kb.ingest import importer
from kb.knowledgebase import KnowledgeBase
from tests.support import paths
from tests.support.paths import SEEDS, TARBALL
from tests.support.seeds import (
    MANIFEST,
    REAL_JUDGMENTS,
    all_hit_ids,
    copy_corpus,
    make_hostile_corpus,
    run_search,
)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return copy_corpus(tmp_path_factory.mktemp("kb") / "corpus")


@pytest.fixture(scope="session")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kb-index") / "index"
    build.build(corpus_dir, path)
    return path


@pytest.fixture(scope="session")
def index_meta(index_dir) -> dict:
    """The metadata of the session index (counts and checksums)."""
    return generations.open_generation(index_dir)[1]


@pytest.fixture(scope="session")
def kb(corpus_dir, index_dir) -> KnowledgeBase:
    return KnowledgeBase(corpus_dir, index_dir)


@pytest.fixture(scope="session")
def search():
    """``search(kb, q="", **params)``: the result dict of one search."""
    return run_search


@pytest.fixture(scope="session")
def hit_ids():
    """``hit_ids(kb, q="", **params)``: the ids of every hit, paging with size=100."""
    return all_hit_ids


@pytest.fixture(scope="session")
def real_judged(tmp_path_factory):
    """(judged set, built corpus) of the real reports of tests/data/judgments_real.toml (the
    work reports given in 2024, read from ../shared/data), imported and indexed once."""
    from tools import evaluate

    paths.shared(TARBALL)
    judged = evaluate.load_set(REAL_JUDGMENTS)
    return judged, evaluate.real_corpus(TARBALL, judged.files, tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return paths.shared(SEEDS)


@pytest.fixture(scope="session")
def manifest() -> dict[str, dict]:
    """Manifest rows by seed file name (agency, year, region, level, source)."""
    return importer.read_manifest(MANIFEST)


@pytest.fixture
def fresh_copy(tmp_path):
    """A private corpus copy and its own freshly built index, for tests that change them."""
    corpus = copy_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    build.build(corpus, index)
    return corpus, index


@pytest.fixture(scope="session")
def app(corpus_dir, index_dir):
    from web import create_app  # lazy: the library tests do not need Flask

    return create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index_dir), "TESTING": True})


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    corpus = make_hostile_corpus(root / "corpus")
    build.build(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture(scope="session")
def hostile_client(hostile):
    from web import create_app

    corpus, index = hostile
    return create_app({"CORPUS_DIR": str(corpus), "INDEX_DIR": str(index), "TESTING": True}).test_client()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus, index) of the latest real work report of each of 349 units (27 provinces,
    321 cities, the State Council), from ../shared/data, built once per session (about
    half a minute): the long lists of issue 15 at the scale users meet them."""
    from bench.realcorpus import unpack
    from tests.support import realsample

    paths.shared(TARBALL)
    root = tmp_path_factory.mktemp("real-site")
    raw = unpack(TARBALL, root / "raw")
    n = realsample.write_sample(raw, root / "corpus")
    assert n == 349
    shutil.rmtree(raw)
    build.build(root / "corpus", root / "index")
    return root / "corpus", root / "index"
