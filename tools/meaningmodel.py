"""Train the starting model of meaning (``kb/data/meaning.npz``) from the real reports: word
vectors (gensim's word2vec, CBOW) over the jieba words of every paragraph of the 3,004 work reports
in ``../shared/data/gov-work-reports.tar.xz`` and of the seed reports, kept small (the most frequent
words of two characters or more, float16) for :mod:`kb.text.meaning` to read with numpy alone.
A tool beside the product (not installed): run it from the project root.

    python -m tools.meaningmodel train [--real TARBALL] [--seeds DIR] [--out kb/data/meaning.npz]

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

from kb.text import meaning, textnorm, words
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


def sentences(tarball: Path | None, seeds: Path | None) -> list[list[str]]:
    """Every paragraph's words (normalized as the index normalizes text: simplified, half width)."""
    out: list[list[str]] = []
    texts: list[str] = []
    if tarball is not None and tarball.is_file():
        with realreports.open_archive(tarball) as archive:
            for member in archive:
                if member.isfile() and member.name.endswith(".md"):
                    texts.append(archive.extractfile(member).read().decode("utf-8"))
    if seeds is not None and seeds.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.iterdir()) if p.is_file()]
    for text in texts:
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
    n = sub.add_parser("near", help="a word's nearest words")
    n.add_argument("words", nargs="+")
    n.add_argument("--model", default=str(meaning.SHIPPED))
    n.set_defaults(func=cmd_near)
    return p


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
