"""Stored fields: what the postings segments keep of each paragraph (kb.engines.embedded.stored)
reads back as the field registry made it of the corpus, every field, by id."""

from __future__ import annotations

import numpy as np
import pytest

from kb.core import corpus
from kb.engines import fields
from kb.engines.embedded import store, stored
from kb.enrich.paragraphs import paragraphs_of


def test_every_paragraph_reads_back_as_the_registry_made_it(kb, corpus_dir):
    """GIVEN the seed index WHEN every paragraph of the corpus is fetched by its id THEN its
    document is what kb.engines.fields.document made of it when it was indexed (every field,
    of the same type), and no other paragraph is stored."""
    want = {}
    for path in corpus.paths(corpus_dir):
        report = corpus.read(path)
        for p in paragraphs_of(report):
            want[p.id] = fields.document(report, p)
    engine = kb.engine()
    got = engine.fetch(list(want))
    assert got == list(want.values())
    assert [{k: type(v) for k, v in d.items()} for d in got] == [{k: type(v) for k, v in d.items()}
                                                                    for d in want.values()]
    p = engine.postings()
    assert sorted(p.paragraph_id(d) for d in p.live_docs.tolist()) == sorted(want)


def test_an_id_not_stored_is_none_in_its_place(kb):
    """GIVEN ids that name no paragraph (unknown report, no ordinal, an ordinal written
    otherwise: 01, -1, a full-width digit, too large) among real ones WHEN fetched THEN each
    is None in its place and the real ones are read."""
    p = kb.engine().postings()
    real = [p.paragraph_id(d) for d in p.live_docs[:2].tolist()]
    rid = real[0].rpartition(".p")[0]
    bad = ["nope", "", f"{rid}.p", f"{rid}.p01", f"{rid}.p-1", f"{rid}.p１", f"{rid}.p99999999999", f"{rid}.p999",
           f"{rid}p1", f"{rid}.P1"]
    got = kb.engine().fetch([real[0], *bad, real[1]])
    assert [d and d["id"] for d in got] == [real[0], *[None] * len(bad), real[1]]


def _table(arrays: dict, name: str) -> stored.Table:
    return stored.Table(arrays[f"s_{name}"], arrays[f"s_{name}_blob"], arrays[f"s_{name}_ends"],
                        arrays.get(f"s_{name}_dict"))


def test_a_field_of_a_value_per_paragraph_is_compressed_one_of_few_values_is_a_table():
    """GIVEN paragraphs whose text differs in each and whose title, ordinal and section repeat
    WHEN their stored fields are written and read back THEN each value is as it was (an int
    stays an int), the text is deflated with a dictionary (and smaller than it was), the others
    are tables of their distinct values."""
    rows = [{"ordinal": i % 3, "title": "某县2023年法治政府建设年度报告", "section": '["一、主要举措和成效"]',
             "unsure": "agency,region" if i % 2 else "",
             "text": f"第{i}段：坚持依法行政，推进严格规范公正文明执法，深化“放管服”改革，优化营商环境。" * 3}
            for i in range(40)]
    c = stored.Collector()
    for r in rows:
        c.add([stored.encoded(r[name]) for name in stored.STORED])
    arrays = c.arrays(len(rows))
    assert {n for n in stored.STORED if f"s_{n}_dict" in arrays} == {"text"}
    assert len(arrays["s_text_blob"]) < sum(len(stored.encoded(r["text"]).encode()) for r in rows) / 3
    assert len(arrays["s_title_ends"]) == 1 and len(arrays["s_ordinal_ends"]) == 3 and len(arrays["s_unsure_ends"]) == 2
    for name in stored.STORED:
        assert [_table(arrays, name).value(i) for i in range(len(rows))] == [r[name] for r in rows]
    assert type(_table(arrays, "ordinal").value(4)) is int
    assert arrays["s_text"].dtype == arrays["s_title"].dtype == np.uint16  # codes as narrow as they fit


def test_no_paragraphs_make_empty_tables():
    arrays = stored.Collector().arrays(0)
    assert all(len(arrays[f"s_{n}"]) == len(arrays[f"s_{n}_blob"]) == len(arrays[f"s_{n}_ends"]) == 0
               for n in stored.STORED)


def test_whoosh_indexes_the_keys_only_and_as_many_paragraphs_as_the_postings(kb):
    """GIVEN the seed index WHEN its Whoosh index is read THEN it holds one document per report,
    its id indexed and its paragraphs' ordinals stored as runs, and as many live paragraphs as
    the postings; the ids it knows are the postings' (an unknown one, an ordinal past the
    report's last, a malformed one are not known)."""
    engine = kb.engine()
    schema = engine.store.ix.schema
    assert sorted(schema.names()) == ["ordinals", "report_id"] and schema.stored_names() == ["ordinals"]
    p = engine.postings()
    assert engine.store.doc_counts() == (len(p), len(p))
    assert engine.store.ix.doc_count() == len({p.paragraph_id(d).rpartition(".p")[0] for d in p.live_docs.tolist()})
    ids = [p.paragraph_id(d) for d in p.live_docs.tolist()]
    last = max(ids, key=lambda pid: int(pid.rpartition(".p")[2]))
    rid, _, n = last.rpartition(".p")
    wrong = ["nope", ids[0] + ".x", f"{rid}.p{int(n) + 1}", f"{rid}.p0", f"{rid}.p01", f"{rid}.p"]
    assert engine.store.known([*ids, *wrong]) == [True] * len(ids) + [False] * len(wrong)


@pytest.mark.parametrize(("ordinals", "text"), [([], ""), ([1], "1"), ([1, 2, 3], "1-3"), ([1, 2, 4, 7, 8, 9], "1-2,4,7-9")])
def test_ordinals_are_kept_as_runs(ordinals, text):
    assert store.runs(ordinals) == text and store.count(text) == len(ordinals)
    assert [n for n in range(12) if store.holds(text, n)] == ordinals
