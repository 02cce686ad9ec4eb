"""Dates: the decider of when a report was signed and by whom.

One of :mod:`kb.ingest.metadata`'s deciders: given, else the date and the signature at the end
of the report, else, for a speech (a work report), the date it was given and its speaker.
"""

from __future__ import annotations

from kb.ingest import evidence as ev
from kb.ingest.evidence import parse_date
from kb.ingest.metadata.readings import Decision, Sources


def decide_dates(s: Sources, genre: str, title: str) -> tuple[Decision, Decision]:
    """(date signed, signed by): given, else the date and signature at the end, else, for a
    speech, the date it was given and its speaker."""
    r = s.repaired
    date = s.given.get("date_signed") or s.file_meta.get("date_signed")
    if date:
        signed = Decision(date, "given")
    elif parse_date(r.date_line):
        signed = Decision(parse_date(r.date_line), "the date at the end")
    else:
        given_on = ev.delivered_date(r, [title]) if genre == "work" else ""
        signed = Decision(given_on, "the date it was given" if given_on else "")
    by = s.given.get("signed_by") or (r.signature[-1] if r.signature else "") or \
        (ev.speaker_name(r.byline) if genre == "work" else "")
    return signed, Decision(by, "the signature" if by else "")
