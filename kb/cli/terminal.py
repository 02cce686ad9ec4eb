"""The terminal side of the ``kb`` command: progress bars (drawn here only, never by the
library; ``--quiet`` turns them off) and text from reports made safe to print.
"""

from __future__ import annotations

import html
import re
import sys


def progress(label: str, quiet: bool, unit: str = " reports"):
    """(callback, write, close): a progress callback drawing a tqdm bar on stderr (none
    when quiet or not on a terminal), a print that does not tear the bar, and its close."""
    if quiet:
        return None, print, lambda: None
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=unit, file=sys.stderr, leave=False, disable=None, dynamic_ncols=True)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    def write(text: str = "", file=None) -> None:
        if bar.disable:
            print(text, file=file or sys.stdout, flush=True)
        else:
            tqdm.write(text, file=file or sys.stdout)

    return update, write, bar.close


def plain(excerpt_html: str) -> str:
    """An excerpt for the terminal: matches in **…**, entities decoded."""
    return safe(html.unescape(re.sub(r"</?mark>", "**", excerpt_html)))


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text from a report or a query, fit for a terminal: control characters (escape
    sequences that could move the cursor or retitle the window) shown as \\xNN."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def lazy_progress(label: str, quiet: bool, unit: str):
    """(callback, close) of a progress bar drawn only once something reports progress (the
    pages of a scanned PDF being read by OCR: most imports have none)."""
    held: list = []

    def update(done: int, total: int) -> None:
        if not held:
            held.append(progress(label, quiet, unit=unit))
        if held[0][0]:
            held[0][0](done, total)

    return update, lambda: held and held[0][2]()
