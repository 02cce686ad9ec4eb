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
its text (whitespace removed, see ``tools.evaluate.text_hash``), its id in this build, the
methods that found it and its text, for a person to read and grade. Nothing here is
committed but the script: the pool is written to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from kb.core import corpus  # noqa: E402
from kb.core.settings import Ranking  # noqa: E402
from kb.engines.embedded.scored import union  # noqa: E402
from kb.engines.query import parse  # noqa: E402
from kb.enrich.paragraphs import paragraphs_of  # noqa: E402
from kb.knowledgebase import KnowledgeBase  # noqa: E402
from kb.search.request import SearchRequest  # noqa: E402
from kb.text import words  # noqa: E402
from tests.support.plain_tree import evaluate as run_tree  # noqa: E402
from tools import evaluate  # noqa: E402

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
    loose = run_tree(parse(q), p, Ranking(), loose=True)
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--sources", type=Path, required=True, help="JSON: report id -> file in the tarball")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--depth", type=int, default=DEPTH)
    args = ap.parse_args(argv)
    kb = KnowledgeBase(args.corpus, args.index)
    p = kb.engine().postings()
    sources = json.loads(args.sources.read_text(encoding="utf-8"))
    texts = {}
    for report in corpus.iter_reports(args.corpus):
        for para in paragraphs_of(report):
            texts[para.id] = (para.text, para.section)
    out = []
    for q, variants in QUERIES.items():
        found = pool_query(q, variants, kb, p, texts, args.depth)
        items = []
        for pid in sorted(found):
            text, section = texts[pid]
            rid = pid.rsplit(".p", 1)[0]
            items.append({"id": pid, "file": sources[rid], "hash": evaluate.text_hash(text),
                          "methods": sorted(found[pid]), "section": section, "text": text})
        out.append({"q": q, "variants": variants, "pool": items})
        print(f"{q}: {len(items)}", file=sys.stderr)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
