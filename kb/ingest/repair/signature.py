"""Signature: the signing agency and the date at the end of a report, read from its last lines.

A step of :mod:`kb.ingest.repair`, once the lines are joined: from the bottom up, a date line,
a closing formula (特此报告) and short lines naming an office (…委员会, …局) are taken off the
body; :mod:`kb.ingest.metadata` reads the signature and the date.
"""

from __future__ import annotations

import re

from kb.ingest.repair.shapes import CLOSING, DATE_LINE, tidy_spaces

ORG_SUFFIX = re.compile(r"(?:委员会|委|局|厅|办公室|办|政府|院|中心|部|署|会|所|处|队|站|公司)$")


def split_trailer(lines: list[str]) -> tuple[list[str], list[str], str]:
    """(body lines, signature lines, date line) from the bottom of the report."""
    body = list(lines)
    signature: list[str] = []
    date_line = ""
    while body:
        last = body[-1]
        if not date_line and DATE_LINE.match(last):
            date_line = re.sub(r"\s+", "", last)
        elif CLOSING.match(last):
            pass
        elif len(last) <= 30 and ORG_SUFFIX.search(last) and not re.search(r"[。，,；;：:]", last):
            signature.insert(0, tidy_spaces(last))
        else:
            break
        body.pop()
    return body, signature, date_line
