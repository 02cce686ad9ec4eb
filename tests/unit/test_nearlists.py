"""Each shipped word's nearest words kept with a model (kb.text.nearlists, issue 30): a search that reads
them answers what the whole product answers, word for word and bit for bit, or takes the whole product."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kb.text import meaning, nearlists

#: every (k, min_sim) a search or a build asks (kb.text.meaning, the engines, plan_names, conceptmine), and
#: some more
ASKED = [(5, 0.66), (5, 0.8), (2, 0.0), (3, 0.66), (3, 0.5), (12, 0.78), (8, 0.55), (6, 0.5), (8, 0.3), (14, 0.0),
         (15, 0.2), (300, 0.6)]


@pytest.fixture(scope="module")
def small() -> meaning.Model:
    """The shipped model's first 3,000 words as a model's shipped words, 600 of its later words as grown
    ones, and two of them twice over (words of the same vector: equal cosines)."""
    shipped = meaning.load()
    pick = list(range(3000)) + list(range(20000, 20600))
    vocab = [shipped.vocab[i] for i in pick] + ["重复甲", "重复乙"]
    vectors = np.vstack([shipped.vectors[pick], shipped.vectors[[5, 20005]]])
    counts = np.concatenate([shipped.counts[pick], [7, 7]])
    return meaning.Model.of(vocab, vectors, counts, shipped=3000)


@pytest.fixture(scope="module")
def kept(small) -> meaning.Model:
    return replace(small, near=nearlists.compute(small.vectors[:small.n_shipped]))


def test_a_rows_products_are_the_same_bits_whatever_rows_are_beside_it(small):
    """What the lists rest on: einsum's product of a row with a vector is the same float32 taken with the
    whole matrix, a few rows picked out of it, or the rows past the shipped ones."""
    v = small.vectors
    rng = np.random.default_rng(3)
    for i in rng.choice(len(v), 200, replace=False):
        whole = np.einsum("ij,j->i", v, v[i])
        some = rng.choice(len(v), 20, replace=False)
        assert np.array_equal(np.einsum("ij,j->i", v[some], v[i]), whole[some])
        assert np.array_equal(np.einsum("ij,j->i", v[3000:], v[i]), whole[3000:])


def test_the_kept_lists_are_each_words_nearest_and_a_bound_on_the_others(kept):
    v = kept.vectors[:kept.n_shipped]
    for i in range(0, len(v), 7):
        sims = np.einsum("ij,j->i", v, v[i])
        ids = kept.near.ids[i]
        assert list(sims[ids]) == sorted(sims[ids], reverse=True)
        rest = np.setdiff1d(np.arange(len(v)), ids)
        assert sims[rest].max() <= kept.near.bound[i] <= sims[ids].min()


def test_neighbours_read_from_the_lists_are_those_of_the_whole_product(small, kept):
    """GIVEN a model with grown words (and two of the same vector) and its shipped words' lists WHEN every
    word's (every fourth, and those of equal vectors) neighbours are asked as every caller asks them THEN they are those of the whole product, words and
    cosines alike; and the lists settle most of a search's asks."""
    settled = 0
    real = nearlists.settled

    def counting(*args):
        nonlocal settled
        found = real(*args)
        settled += found is not None
        return found

    nearlists.settled = counting
    try:
        for w in [*kept.vocab[::4], "重复甲", "重复乙", kept.vocab[5], kept.vocab[3005]]:
            for k, min_sim in ASKED:
                assert kept._neighbours(w, k, min_sim) == small._neighbours(w, k, min_sim), (w, k, min_sim)
    finally:
        nearlists.settled = real
    assert settled > 0.7 * len(kept.vocab[:kept.n_shipped:4]) * 4


def test_equal_cosines_or_too_few_kept_are_left_to_the_whole_product():
    sims = np.array([1.0, 0.9, 0.8, 0.8, 0.5], np.float32)
    assert nearlists.settled(sims, 0.4, 1, 0.6).tolist() == [0, 1]  # the first k + 2 are 1.0, 0.9, 0.8
    assert nearlists.settled(sims, 0.4, 2, 0.6) is None  # 0.8 twice among the first k + 2
    assert nearlists.settled(sims, 0.85, 2, 0.6) is None  # a word outside may stand at 0.85
    assert nearlists.settled(sims, 0.85, 0, 0.6).tolist() == [0]
    assert nearlists.settled(sims, 0.7, 9, 0.95).tolist() == [0]  # all at 0.95 or more are the candidates'
    assert nearlists.settled(sims, 0.95, 9, 0.9) is None  # a word outside may stand at 0.95


def test_a_build_takes_the_previous_lists_of_the_same_vectors_and_none_of_others(small, tmp_path, monkeypatch):
    shipped = small.vectors[:small.n_shipped]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    made = nearlists.write(tmp_path / "a", shipped)
    monkeypatch.setattr(nearlists, "compute", lambda *_: pytest.fail("computed again"))
    nearlists._made.clear()  # not this process's last: the previous generation's file
    again = nearlists.write(tmp_path / "b", shipped, previous=tmp_path / "a")
    assert np.array_equal(again.ids, made.ids) and np.array_equal(again.bound, made.bound)
    other = shipped.copy()
    other[0] = other[1]
    assert nearlists.read(tmp_path / "a" / nearlists.FILE, nearlists.key_of(other)) is None
    assert nearlists.read(tmp_path / "missing.npz", made.key) is None


def test_a_model_read_from_a_generation_carries_its_lists_only_when_they_are_its_own(small, tmp_path):
    small.save(tmp_path / meaning.MODEL_FILE, compressed=False)
    assert meaning.read(tmp_path / meaning.MODEL_FILE).near is None  # none beside it
    back = meaning.read(tmp_path / meaning.MODEL_FILE)
    nearlists.write(tmp_path, back.vectors[:back.n_shipped])
    read = meaning.read(tmp_path / meaning.MODEL_FILE)
    assert read.near is not None and read.near.n == small.n_shipped
    other = replace(small, vectors=small.vectors[::-1].copy())
    other.save(tmp_path / meaning.MODEL_FILE, compressed=False)
    assert meaning.read(tmp_path / meaning.MODEL_FILE).near is None  # the file beside it was another model's


def test_the_shipped_lists_are_the_shipped_models_as_a_generation_reads_it(tmp_path, monkeypatch):
    """The lists shipped beside the model (kb/data/meaning-near.npz) are kept under the digest of the
    shipped words as a generation's model file reads them back (else: ``python -m tools.nearlists``), are
    each word's nearest by the whole product, and a build takes them without computing."""
    meaning.load().save(tmp_path / meaning.MODEL_FILE, compressed=False)
    back = meaning.read(tmp_path / meaning.MODEL_FILE)
    v = back.vectors[:back.n_shipped]
    lists = nearlists.read(nearlists.SHIPPED, nearlists.key_of(v))
    assert lists is not None, "the shipped model changed: run python -m tools.nearlists"
    for i in range(0, len(v), 997):
        sims = np.einsum("ij,j->i", v, v[i])
        order = np.argsort(-sims, kind="stable")
        assert np.array_equal(sims[lists.ids[i]], sims[order[:nearlists.K]]) and lists.bound[i] == sims[order[nearlists.K]]
    monkeypatch.setattr(nearlists, "compute", lambda *_: pytest.fail("computed"))
    nearlists._made.clear()
    assert nearlists.write(tmp_path, v).key == lists.key
