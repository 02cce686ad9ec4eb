"""Train the starting model of meaning (``kb/data/meaning.npz``) from the real reports: word
vectors (gensim's word2vec, CBOW) over the jieba words of every paragraph of the 3,004 work reports
in ``../shared/data/gov-work-reports.tar.xz`` and of the seed reports, kept small (the most frequent
words of two characters or more, float16) for :mod:`kb.text.meaning` to read with numpy alone.
A tool beside the product (not installed): run it from the project root.

    python -m tools.meaningmodel train [--real TARBALL] [--seeds DIR] [--out kb/data/meaning.npz]
    python -m tools.meaningmodel induce [--real TARBALL] [--seeds DIR] [--model kb/data/meaning.npz]

``induce`` adds to the model the matrix that maps the mean vector of a word's contexts to the
word's own vector (least squares over the known words of the real reports), with which a
build gives the words of the user's corpus that the model lacks a vector (:mod:`kb.text.growth`),
and prints how well it does on known words held out of the fit.

The words are cut as the index cuts them (:func:`kb.text.words.cut`, with the user dictionary);
a paragraph is a block of the Markdown body between blank lines (headings included).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from kb.text import growth, meaning, textnorm, words
from tools import realreports, shell

DIM = 64
VOCAB = 30000  # words kept, most frequent first
MIN_COUNT = 8


def paragraphs_of_text(text: str) -> Iterator[str]:
    """The blocks of a Markdown body (front matter dropped), as one line each."""
    body = text[text.find("\n---", 4) + 4:] if text.startswith("---") else text
    for block in re.split(r"\n\s*\n", body):
        block = re.sub(r"\s+", "", block.strip("#* \n"))
        if len(block) >= 4:
            yield block


def report_texts(tarball: Path | None, seeds: Path | None, every: int = 1) -> list[str]:
    """The texts of the reports of the tarball (of every ``every``-th only) and of the seeds."""
    texts: list[str] = []
    if tarball is not None and tarball.is_file():
        with realreports.open_archive(tarball) as archive:
            md = (m for m in archive if m.isfile() and m.name.endswith(".md"))
            texts += [archive.extractfile(m).read().decode("utf-8") for n, m in enumerate(md) if n % every == 0]
    if seeds is not None and seeds.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.iterdir()) if p.is_file()]
    return texts


def sentences(tarball: Path | None, seeds: Path | None, every: int = 1) -> list[list[str]]:
    """Every paragraph's words (normalized as the index normalizes text: simplified, half width);
    ``every``: of every ``every``-th report of the tarball only."""
    out: list[list[str]] = []
    for text in report_texts(tarball, seeds, every):
        for para in paragraphs_of_text(text):
            ws = [w for w in words.cut(textnorm.normalize_str(para)) if meaning.is_content(w)]
            if len(ws) >= 3:
                out.append(ws)
    return out


def train(sents: list[list[str]], dim: int = DIM, vocab: int = VOCAB, seed: int = 1) -> meaning.Model:
    """word2vec (CBOW, window 5, 5 epochs) over ``sents``; the ``vocab`` most frequent words kept."""
    from gensim.models import Word2Vec  # the tool's own dependency, not the product's

    model = Word2Vec(sents, vector_size=dim, window=5, min_count=MIN_COUNT, sg=0, negative=8,
                     epochs=5, workers=2, seed=seed, max_final_vocab=vocab)
    keep = [w for w in model.wv.index_to_key if meaning.is_content(w)][:vocab]
    counts = np.array([model.wv.get_vecattr(w, "count") for w in keep], dtype=np.int64)
    return meaning.Model.of(keep, model.wv[keep], counts)


def cmd_train(args) -> int:
    t = time.time()
    sents = sentences(shell.tarball(args.real), Path(args.seeds) if args.seeds else None)
    print(f"{len(sents)} paragraphs, {sum(map(len, sents))} words read in {time.time() - t:.0f} s")
    t = time.time()
    model = train(sents)
    model.save(Path(args.out))
    print(f"{len(model.vocab)} words x {model.vectors.shape[1]} trained in {time.time() - t:.0f} s -> {args.out} "
          f"({Path(args.out).stat().st_size / 1e6:.1f} MB)")
    return 0


def context_totals(sents: list[list[str]], model: meaning.Model, batch: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Per known word: the sum of the vectors around it over ``sents`` and how many they are."""
    sums = np.zeros(model.vectors.shape, np.float32)
    n_ctx = np.zeros(len(model.vocab), np.int64)
    for i in range(0, len(sents), batch):
        c = growth.contexts(sents[i:i + batch], model, known_too=True)
        ids = np.array([model.index.get(w, -1) for w in c.words])
        ok = ids >= 0
        sums[ids[ok]] += c.sums[ok]
        n_ctx[ids[ok]] += c.n_context[ok]
    return sums, n_ctx


def fit_induce(model: meaning.Model, sums: np.ndarray, n_ctx: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The matrix A minimizing the squared error of A · (mean context) against the word's own
    vector, over the words ``rows`` (every word counted once, as the à la carte method fits)."""
    x = sums[rows] / n_ctx[rows, None]
    a, *_ = np.linalg.lstsq(x, model.vectors[rows], rcond=None)
    return a.T.astype(np.float32)


def held_out_check(model: meaning.Model, sums: np.ndarray, n_ctx: np.ndarray, seed: int = 1) -> dict:
    """Fit on 90% of the words, induce the other 10% from their contexts: the mean cosine of an
    induced vector with the word's own, and how often the word's nearest known word is among the
    induced vector's five nearest."""
    rng = np.random.default_rng(seed)
    ok = np.flatnonzero(n_ctx >= 20)
    test = rng.choice(ok, size=len(ok) // 10, replace=False)
    train = np.setdiff1d(ok, test)
    a = fit_induce(model, sums, n_ctx, train)
    trial = meaning.Model(model.vocab, model.vectors, model.counts, a)
    v = growth.induced(sums[test], n_ctx[test], trial)
    cos = (v * model.vectors[test]).sum(axis=1)
    raw = growth.induced(sums[test], n_ctx[test], meaning.Model(model.vocab, model.vectors, model.counts))
    hits = 0
    for row, i in zip(v, test, strict=True):
        near = model.vectors @ model.vectors[i]
        near[i] = -2
        sims = model.vectors @ row
        sims[i] = -2
        hits += int(np.argmax(near) in np.argpartition(-sims, 5)[:5])
    return {"words": len(test), "cosine": float(cos.mean()), "cosine_without_matrix": float((raw * model.vectors[test]).sum(axis=1).mean()),
            "nearest_in_top5": hits / len(test)}


def cmd_induce(args) -> int:
    t = time.time()
    sents = sentences(shell.tarball(args.real), Path(args.seeds) if args.seeds else None, args.every)
    model = meaning.read(Path(args.model))
    sums, n_ctx = context_totals(sents, model)
    print(f"{len(sents)} paragraphs' contexts in {time.time() - t:.0f} s")
    print("held out:", held_out_check(model, sums, n_ctx))
    a = fit_induce(model, sums, n_ctx, np.flatnonzero(n_ctx >= 20))
    meaning.Model.of(model.vocab, model.vectors, model.counts, a).save(Path(args.model))
    print(f"induction matrix {a.shape} -> {args.model}")
    return 0


def cmd_near(args) -> int:
    model = meaning.load(Path(args.model))
    for w in args.words:
        print(w, " ".join(f"{n}:{s:.2f}" for n, s in model.neighbours(w, 12, 0.0)))
    return 0


def parser() -> argparse.ArgumentParser:
    p = shell.parser("python -m tools.meaningmodel", "Train the starting model of meaning from the real reports, "
                     "or show a word's neighbours in it.", "example: python -m tools.meaningmodel near 淡薄 短板")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    t = sub.add_parser("train", help="train kb/data/meaning.npz")
    t.add_argument("--real", default=shell.REAL, help="the real-report tarball")
    t.add_argument("--seeds", default=str(Path(shell.REAL).parent.parent / "seeds"), help="the seed reports")
    t.add_argument("--out", default=str(meaning.SHIPPED))
    t.set_defaults(func=cmd_train)
    i = sub.add_parser("induce", help="add the matrix that gives the user's new words vectors (kb.text.growth)")
    i.add_argument("--real", default=shell.REAL, help="the real-report tarball")
    i.add_argument("--seeds", default=str(Path(shell.REAL).parent.parent / "seeds"), help="the seed reports")
    i.add_argument("--model", default=str(meaning.SHIPPED))
    i.add_argument("--every", type=int, default=4, help="learn from every N-th report only (default 4: a 64x64 "
                                                        "matrix needs no more)")
    i.set_defaults(func=cmd_induce)
    n = sub.add_parser("near", help="a word's nearest words")
    n.add_argument("words", nargs="+")
    n.add_argument("--model", default=str(meaning.SHIPPED))
    n.set_defaults(func=cmd_near)
    return p


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
