"""Fingerprint: what an index must have been built from to be current -- the version of the
schema and analysis, the checksums of the report files, the jieba dictionary, the taxonomy,
the regulations and the indicators. Every engine records it when it is written (the embedded
engine in a generation's ``kb-index.json``, a Sphinx cluster in its stamp) and compares it
when it is opened, so a stale index says so instead of answering from old text.
"""

from __future__ import annotations

from pathlib import Path

from kb.core import corpus
from kb.enrich import regulations, topics
from kb.figures import extract
from kb.text import meaning, words

#: Bump when the schema or the analysis changes: older indexes then ask for a rebuild.
SCHEMA_VERSION = 23  # 2: canonical regulation names; 3: simplified text, sortable report_id; 5: the numpy postings; 6: Vocab; 7: figures.json; 8: titles that are no regulation dropped; 9: kb.engines.fields (only ids indexed in Whoosh); 10: Vocab prefixes; 11: notes that explain terms marked in the postings; 12: report parts for every genre (开头和结尾), the heading tree by numbering; bare names of listed laws are regulation mentions; figures with period and part (issue 25); 13: figures read as the second held-out draw showed (durations and phases, approval items, 项 of laws, kinds after the number); 14: report parts read anew (five-year plans by their years, glued headings, more opening and problem wordings, a past year's review in the plan: issue 24); 15: each paragraph's deeds (quantities and actions) kept beside its note byte (issue 27); 16: each paragraph's vector of meaning, and the words of the corpus the model lacks grown into it (issue 27); 17: the vectors of meaning as float32 and the generation's common direction of meaning written (meaning-common.npz: no search converts or computes them); 18: the postings' long lists packed (gaps in variable-byte codes, kb.engines.embedded.packed); 19: report parts: a session's date line names no part, a heading left as a short paragraph and a glossary entry without a heading are read; 20: the stored fields in the postings segments (kb.engines.embedded.stored), Whoosh keeps the paragraphs' keys only; 21: the grams' positions packed in blocks but the commonest grams' (kb.engines.embedded.positions), a rarer gram's paragraphs counted from its positions, Whoosh one document per report (its paragraphs' ordinals stored as runs); 22: each shipped word's nearest words kept beside the generation's model of meaning (meaning-near.npz, kb.text.nearlists); 23: the report's unsure fields stored with each paragraph (hits mark guessed metadata)
#: What the analysis of every document depends on: when one changes, all is re-indexed.
ANALYSIS = ("schema_version", "dictionary", "taxonomy", "regulations", "indicators", "meaning")


def fingerprint(corpus_dir: Path, recorded: dict | None = None) -> dict:
    """What an index must have been built from to be current. With ``recorded`` (the
    metadata of a generation), a report file whose size and modification time are those
    the build recorded keeps its recorded checksum instead of being read again."""
    return fingerprint_of(report_digests({p.stem: p for p in corpus.paths(corpus_dir)}, recorded or {})[0])


#: A file modified this close (ns) before its size and time were recorded may have been
#: changed again within the file system's clock tick: its bytes are read (as git does).
RACY_NS = 2_000_000_000


def report_digests(paths: dict[str, Path], recorded: dict) -> tuple[dict[str, str], dict[str, list[int]]]:
    """(checksum, ``[size, mtime_ns]``) of each report file, the size and time taken before
    it is read. A file whose size and time are those ``recorded`` in a generation's
    ``stats`` (and not racy: modified well before they were taken) keeps the checksum of
    ``recorded["checksums"]`` unread: opening an index reads no report."""
    stats, sums = recorded.get("stats") or {}, recorded.get("checksums") or {}
    taken = recorded.get("stats_taken_ns", 0)
    digests, now = {}, {}
    for rid, path in paths.items():
        st = path.stat()
        now[rid] = [st.st_size, st.st_mtime_ns]
        if stats.get(rid) == now[rid] and rid in sums and st.st_mtime_ns < taken - RACY_NS:
            digests[rid] = sums[rid]
        else:
            digests[rid] = corpus.file_digest(path.read_bytes())
    return digests, now


def fingerprint_of(digests: dict[str, str]) -> dict:
    """:func:`fingerprint` from the checksums of the report files (by id)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "corpus": corpus.combine(digests),
        "dictionary": words.dictionary_checksum(),
        "taxonomy": topics.checksum(),
        "regulations": regulations.checksum(),
        "indicators": extract.checksum(),
        "meaning": meaning.shipped_checksum(),
    }
