"""Make the shipped model's lists of nearest words (kb/data/meaning-near.npz, :mod:`kb.text.nearlists`)
from kb/data/meaning.npz, as every build's generation reads its shipped words back: run after the shipped
model changes (until then each build computes them, some 6 CPU s).

    python -m tools.nearlists
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kb.text import meaning, nearlists


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / meaning.MODEL_FILE
        meaning.load().save(path, compressed=False)  # as kb.build._grow_meaning writes it
        back = meaning.read(path)
    lists = nearlists.compute(back.vectors[:back.n_shipped])
    nearlists.save(lists, nearlists.SHIPPED)
    print(f"{nearlists.SHIPPED}: {lists.n} words, key {lists.key}")


if __name__ == "__main__":
    main()
