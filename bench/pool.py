"""Pool candidate paragraphs for relevance judging (tests/data/judgments_real.toml).

    .venv/bin/python bench/pool.py --corpus DIR --index DIR --out pool.json [--depth 15]

For every query of ``QUERIES`` the pool is the union of the top ``depth`` paragraphs of
six retrieval methods, so that the judged set does not favour any one of them:

A. ``exact``: the search's exact matches (``match=exact``; at judging time, the default
   search, which had no other tier);
B. ``apart``: the query's jieba words anywhere in the paragraph (the loose match);
C. ``variants``: each hand-written variant of the measure (other wordings, word orders,
   abbreviations, synonyms: the list below, written before judging) as an exact search;
D. ``bm25``: BM25 over the query's jieba words with OR (any of them);
E. ``heading``: the query's jieba words all in the section headings above the paragraph;
F. ``sentence``: every character of the query inside one sentence, in any order.

Each pooled paragraph is written with its report file (inside the tarball), a hash of
its text (whitespace removed, see ``tools.realreports.text_hash``), its id in this build, the
methods that found it and its text, for a person to read and grade. Nothing here is
committed but the script: the pool is written to ``--out``.

The held-out pools (``bench/pool_heldout*.py``) share what is below the methods: opening a built
pool corpus (:func:`open_pool_corpus`), drawing reports no other file names (:func:`draw`), the
plain substring pass (:func:`grep`) and the pool with it (:func:`pool_with_grep`, held-out 6 and 7).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from kb.core import corpus  # noqa: E402
from kb.core.settings import Ranking  # noqa: E402
from kb.engines.embedded.scored import union  # noqa: E402
from kb.engines.query import parse as parse_query  # noqa: E402
from kb.enrich.paragraphs import paragraphs_of  # noqa: E402
from kb.knowledgebase import KnowledgeBase  # noqa: E402
from kb.search.request import SearchRequest  # noqa: E402
from kb.text import words  # noqa: E402
from tests.support.plain_tree import evaluate as run_tree  # noqa: E402
from tools import evaluate, realreports  # noqa: E402

#: query -> variants (method C): how reports also write the measure.
QUERIES: dict[str, list[str]] = {
    "老旧小区改造": ["改造城镇老旧小区", "老旧小区综合整治", "改造老旧小区", "老旧小区"],
    "稳就业": ["就业优先", "促进就业", "稳岗", "城镇新增就业", "稳定就业"],
    "河长制": ["河湖长制", "湖长制", "河长", "林长制"],
    "12345热线": ["12345", "市民服务热线", "政务服务便民热线", "热线"],
    "双随机一公开": ["双随机", "随机抽查", "跨部门联合抽查"],
    "营商环境 优化": ["营商环境", "一流营商环境", "优化营商环境"],
    "法治政府建设": ["建设法治政府", "依法行政", "法治政府"],
    "一网通办": ["一网通", "网上办", "全程网办", "一网统管"],
    "城市更新": ["城市更新行动", "城市有机更新", "旧城改造", "城中村改造"],
    "放管服": ["简政放权", "放管服改革", "放管结合", "审批制度改革"],
    "高效办成一件事": ["一件事一次办", "一件事", "一次办"],
    "垃圾分类": ["生活垃圾分类", "垃圾分类处理"],
    "厕所革命": ["农村改厕", "户厕改造", "卫生厕所", "公厕"],
    "专精特新": ["专精特新中小企业", "小巨人", "单项冠军"],
    "减税降费": ["减税降费", "退税缓税", "税费优惠", "减负"],
    "政府债务风险化解": ["化债", "债务风险", "隐性债务", "防范化解"],
    "保障性租赁住房": ["保租房", "保障性住房", "公租房", "人才公寓"],
    "居家养老服务": ["养老服务", "社区养老", "居家社区养老", "养老"],
    "托育服务": ["托育", "婴幼儿照护", "托位"],
    "家庭医生签约": ["家庭医生", "签约服务"],
    "异地就医结算": ["异地就医", "直接结算", "跨省直接结算"],
    "扫黑除恶": ["常态化扫黑除恶", "扫黑除恶斗争", "黑恶"],
    "枫桥经验": ["新时代枫桥经验", "矛盾纠纷", "调解"],
    "数字政府建设": ["数字政府", "政务数据", "数据共享"],
    "蓝天保卫战": ["大气污染防治", "空气质量", "PM2.5"],
    "碳达峰碳中和": ["双碳", "碳达峰", "碳中和", "降碳"],
    "林长制": ["林长", "河湖长制", "林长制"],
    "田长制": ["田长", "耕地保护", "永久基本农田"],
    "海绵城市": ["海绵城市建设", "内涝"],
    "燃气管道改造": ["老旧燃气管道", "燃气管网", "管网改造", "城市燃气"],
    "加装电梯": ["既有住宅加装电梯", "电梯"],
    "根治欠薪": ["拖欠农民工工资", "欠薪", "农民工工资"],
    "清理拖欠企业账款": ["拖欠企业账款", "拖欠中小企业账款", "拖欠"],
    "城中村改造": ["城中村", "棚户区改造", "棚改"],
    "平急两用": ["平急两用公共基础设施", "平急"],
    "口袋公园": ["口袋公园", "公园", "绿道"],
    "高标准农田建设": ["高标准农田", "农田建设"],
    "农村人居环境整治": ["人居环境整治", "人居环境", "村容村貌", "和美乡村"],
    "跨省通办": ["跨域通办", "异地通办", "全省通办", "通办"],
    "食品安全": ["食品药品安全", "舌尖上的安全", "食品"],
    "安全生产 专项整治": ["安全生产治本攻坚", "安全生产", "专项整治", "重大事故隐患"],
    "高校毕业生就业": ["高校毕业生", "青年就业", "毕业生"],
    "民营经济发展": ["民营企业", "民营经济", "非公经济"],
    "医疗纠纷调解": ["医患纠纷", "医疗纠纷", "医调委"],
    "证照分离": ["证照分离改革", "照后减证", "一业一证"],
    "新型基础设施": ["新基建", "5G基站", "算力"],
}

DEPTH = 15


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。；！？!?;]", text) if s]


def content_words(q: str) -> list[str]:
    return [w for w in dict.fromkeys(words.cut(q.replace(" ", ""))) if len(w) > 1 or w.isalnum()]


def pool_query(q: str, variants: list[str], kb: KnowledgeBase, p, texts: dict, depth: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def add(method: str, ids) -> None:
        for pid in list(ids)[:depth]:
            found.setdefault(pid, set()).add(method)

    def top(scored) -> list[str]:
        order = np.lexsort((scored.docs, -scored.scores))
        return [p.paragraph_id(int(d)) for d in scored.docs[order][:depth]]

    add("exact", (h["id"] for h in kb.search(SearchRequest(q=q, size=depth, match="exact"))["hits"]))
    loose = run_tree(parse_query(q), p, Ranking(), loose=True)
    add("apart", top(loose))
    for v in variants:
        add("variants", (h["id"] for h in kb.search(SearchRequest(q=f'"{v}"', size=min(depth, 8)))["hits"]))
    ws = content_words(q)
    add("bm25", top(union([p.word("words", w) for w in ws])))
    heads = [p.word("heads", w) for w in ws]
    if heads and all(len(h) for h in heads):
        common = heads[0]
        for h in heads[1:]:
            common = common if not len(h) else type(common)(*_inter(common, h))
        add("heading", top(common))
    chars = set(q.replace(" ", ""))
    scored = []
    for pid, (text, _) in texts.items():
        n = sum(1 for s in sentences(text) if chars <= set(s))
        if n:
            scored.append((-n, len(text), pid))
    add("sentence", (pid for _, _, pid in sorted(scored)))
    return found


def _inter(a, b):
    common, i, j = np.intersect1d(a.docs, b.docs, assume_unique=True, return_indices=True)
    return common, a.scores[i] + b.scores[j]


@dataclass
class PoolCorpus:
    """A built corpus to pool over: its knowledge base, postings, the paragraphs' texts and headings
    by id, and each report id's file inside the tarball."""

    kb: KnowledgeBase
    postings: object
    texts: dict[str, tuple[str, list[str]]]
    file_of: dict[str, str]

    def item(self, pid: str, methods) -> dict:
        """A pooled paragraph as written for the person who grades it."""
        text, section = self.texts[pid]
        return {"id": pid, "file": self.file_of[pid.rsplit(".p", 1)[0]], "hash": realreports.text_hash(text),
                "methods": sorted(methods), "section": section, "text": text}


def corpus_texts(corpus_dir: Path) -> dict[str, tuple[str, list[str]]]:
    """Every paragraph's text and headings by id."""
    return {para.id: (para.text, para.section)
            for report in corpus.iter_reports(corpus_dir) for para in paragraphs_of(report)}


def open_pool_corpus(tarball: Path, files: list[str], workdir: Path) -> PoolCorpus:
    """Import and index ``files`` of the real-report tarball into ``workdir`` (as ``tools.evaluate``
    does) and open them for pooling."""
    built = evaluate.real_corpus(tarball, files, workdir)
    file_of = {pid.rsplit(".p", 1)[0]: name.split("#")[0] for name, pid in built.ids.items()}
    kb = KnowledgeBase(built.corpus_dir, built.index_dir)
    return PoolCorpus(kb, kb.engine().postings(), corpus_texts(built.corpus_dir), file_of)


def write_pool(out: list[dict], path: Path) -> None:
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


# -- drawing reports no other file names (held-out 5 to 7) ----------------------------------

#: a report file inside the tarball as the sets and scripts name it
REPORT = re.compile(r"政府工作报告-[^/\"#\s]+/(?:[^/\"#\s]+/)?\d{4}[^/\"#\s]*\.md")


def parse(text: str) -> dict[str, list[str]]:
    """The queries of ``text`` (``query: variant variant ...`` a line, ``#`` a comment) with their variants."""
    rows = (line.split(":", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {query.strip(): variants.split() for query, variants in rows}


def named_elsewhere(own: re.Pattern) -> set[str]:
    """Every report file a file of tests/ or bench/ names, but those whose names ``own`` matches (the
    script that draws and the set it pooled)."""
    named: set[str] = set()
    for path in [*(ROOT / "tests").rglob("*"), *(ROOT / "bench").glob("*.py")]:
        if path.is_file() and path.suffix in (".toml", ".py", ".csv", ".json") and not own.match(path.name):
            named |= set(REPORT.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return named


def draw(tarball: Path, strata: dict[str, int], seed: int, own: re.Pattern) -> list[str]:
    """The reports of each level of ``strata`` drawn with ``seed`` from those no other file names."""
    with realreports.open_archive(tarball) as archive:
        names = sorted(m.name.removeprefix("./") for m in archive if m.name.endswith(".md"))
    taken = named_elsewhere(own)
    rng = random.Random(seed)
    return [name for level, n in strata.items()
            for name in sorted(rng.sample([f for f in names if f.startswith(level + "/") and f not in taken], n))]


# -- the plain substring pass and the pool with it (held-out 6 and 7) ----------------------

def grep(q: str, variants: list[str], texts: dict) -> list[str]:
    """Every paragraph holding the query or a variant as a plain substring, or all the query's words
    apart, those holding the most of them first (ties in the order of their text hash, which favours
    no report)."""
    strings = {s.strip("《》") for s in [q.replace(" ", ""), *variants] if len(s.strip("《》")) > 1}
    ws = content_words(q)
    hits = [(-sum(s in text for s in strings) - all(w in text for w in ws), realreports.text_hash(text), pid)
            for pid, (text, _) in texts.items()]
    return [pid for n, _, pid in sorted(hits) if n]


def pool_one(q: str, variants: list[str], pc: PoolCorpus, depth: int, grep_cap: int) -> tuple[dict[str, set[str]], int]:
    """The pool of one query (paragraph id: the methods that found it): the six methods, the search of
    the day (every tier) and the substring pass; and how many substring hits were left off."""
    found = pool_query(q, variants, pc.kb, pc.postings, pc.texts, depth)
    for h in pc.kb.search(SearchRequest(q=q, size=depth))["hits"]:  # G: today's search, every tier
        found.setdefault(h["id"], set()).add("search")
    grepped = grep(q, variants, pc.texts)
    for pid in grepped[:grep_cap]:
        found.setdefault(pid, set()).add("grep")
    return found, max(0, len(grepped) - grep_cap)


def pool_with_grep(queries: dict[str, list[str]], files: list[str], draw_args: tuple, description: str,
                   argv=None) -> int:
    """The command line of a held-out pool with the substring pass: ``--draw`` prints the draw
    (``draw_args``: strata, seed, own), else the pool of ``queries`` over ``files`` goes to ``--out``."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--draw", action="store_true", help="print the draw and stop")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared/data/gov-work-reports.tar.xz")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--grep-cap", type=int, default=100)
    args = ap.parse_args(argv)
    if args.draw:
        print("\n".join(draw(args.real, *draw_args)))
        return 0
    if not (args.workdir and args.out):
        ap.error("--workdir and --out are needed")
    pc = open_pool_corpus(args.real, files, args.workdir)
    out = []
    for q, variants in queries.items():
        found, left_off = pool_one(q, variants, pc, args.depth, args.grep_cap)
        items = [pc.item(pid, found[pid]) for pid in sorted(found)]
        out.append({"q": q, "variants": variants, "pool": items, "grep_left_off": left_off})
        print(f"{q}: {len(items)} (grep left off {left_off})", file=sys.stderr)
    write_pool(out, args.out)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--sources", type=Path, required=True, help="JSON: report id -> file in the tarball")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--depth", type=int, default=DEPTH)
    args = ap.parse_args(argv)
    kb = KnowledgeBase(args.corpus, args.index)
    pc = PoolCorpus(kb, kb.engine().postings(), corpus_texts(args.corpus),
                    json.loads(args.sources.read_text(encoding="utf-8")))
    out = []
    for q, variants in QUERIES.items():
        found = pool_query(q, variants, pc.kb, pc.postings, pc.texts, args.depth)
        out.append({"q": q, "variants": variants, "pool": [pc.item(pid, found[pid]) for pid in sorted(found)]})
        print(f"{q}: {len(found)}", file=sys.stderr)
    write_pool(out, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
