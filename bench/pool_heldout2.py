"""Pool candidate paragraphs for the second held-out judged set of issue 27
(tests/data/judgments_heldout2_real.toml): the six methods of ``bench/pool.py`` and (G) the
default search of today (every tier, the meaning one included) over 30 work
reports of several years (2014-2026) and every level (State Council, provinces, major cities,
other cities), for measures and problems worded many ways, with variants written before judging
and before any tuning of the meaning tier against this set.

    .venv/bin/python bench/pool_heldout2.py --workdir DIR --out pool.json [--depth 8]

Nothing here is committed but the script: the pool is written to ``--out`` for a person to read
and grade. (The seed half, tests/data/judgments_heldout2_seeds.toml, was judged by reading every
paragraph of the five seed reports; it needs no pool.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pool import open_pool_corpus, pool_query, write_pool  # noqa: E402
from kb.search.request import SearchRequest  # noqa: E402

#: query -> variants (method C), written before judging: how reports also say it.
QUERIES: dict[str, list[str]] = {
    # problems
    "经济下行压力": ["下行压力", "经济增速放缓", "增速回落", "稳中有变", "下行", "需求收缩"],
    "环境问题突出": ["环境污染", "生态环境", "环境质量", "大气污染", "环保压力", "雾霾"],
    "教育资源不足": ["学位紧张", "优质教育资源", "大班额", "入学难", "教育短板", "学位"],
    "为官不为": ["不作为", "慢作为", "懒政怠政", "不担当", "庸懒散", "形式主义"],
    "人口老龄化": ["老龄化", "养老", "老年人", "银发", "老龄事业"],
    "农民增收困难": ["农民增收", "农民收入", "增收渠道", "城乡居民收入", "收入差距"],
    "营商环境有待改善": ["营商环境", "审批效率", "办事难", "政务服务", "市场环境"],
    "看病难": ["看病贵", "医疗资源", "就医", "分级诊疗", "医疗服务"],
    # measures
    "化解过剩产能": ["去产能", "淘汰落后产能", "压减产能", "过剩产能", "钢铁煤炭"],
    "移风易俗": ["红白喜事", "高价彩礼", "大操大办", "文明乡风", "殡葬改革", "乡风文明"],
    "农村道路建设": ["农村公路", "四好农村路", "通村公路", "村村通", "乡村道路", "农村路网"],
    "污水治理": ["污水处理", "污水管网", "黑臭水体", "水污染防治", "污水收集"],
    "国企混改": ["混合所有制", "国有企业改革", "国企改革", "国资国企", "国有资本"],
    "项目招引": ["招商引资", "招大引强", "引进项目", "签约项目", "产业链招商"],
    "文化惠民": ["公共文化服务", "文化惠民工程", "送戏下乡", "农家书屋", "文化活动"],
    "鼓励创业": ["大众创业", "创业扶持", "创业孵化", "创新创业", "返乡创业", "创业担保贷款"],
}

FILES = [
    "政府工作报告-国务院/2019.md", "政府工作报告-国务院/2022.md",
    "政府工作报告-省自治区/山西省/2018.md", "政府工作报告-省自治区/江西省/2015.md",
    "政府工作报告-省自治区/河北省/2017.md", "政府工作报告-省自治区/河南省/2014.md",
    "政府工作报告-省自治区/湖北省/2015.md", "政府工作报告-省自治区/甘肃省/2026.md",
    "政府工作报告-省自治区/福建省/2020.md", "政府工作报告-省自治区/西藏自治区/2015.md",
    "政府工作报告-主要城市/北京市/2014.md", "政府工作报告-主要城市/厦门市/2016.md",
    "政府工作报告-主要城市/宁波市/2016.md", "政府工作报告-主要城市/昆明市/2025.md",
    "政府工作报告-主要城市/海口市/2014.md", "政府工作报告-主要城市/烟台市/2025.md",
    "政府工作报告-主要城市/西宁市/2017.md", "政府工作报告-主要城市/长春市/2015.md",
    "政府工作报告-主要城市/成都市/2021.md", "政府工作报告-主要城市/青岛市/2023.md",
    "政府工作报告-其他地市/佳木斯市/2016.md", "政府工作报告-其他地市/怀化市/2020.md",
    "政府工作报告-其他地市/海北藏族自治州/2014.md", "政府工作报告-其他地市/漳州市/2025.md",
    "政府工作报告-其他地市/玉林市/2020.md", "政府工作报告-其他地市/铜陵市/2015.md",
    "政府工作报告-其他地市/阜阳市/2014.md", "政府工作报告-其他地市/龙岩市/2019.md",
    "政府工作报告-其他地市/宣城市/2022.md", "政府工作报告-其他地市/徐州市/2023.md",
]


def main(argv=None) -> int:
    return pool(QUERIES, FILES, __doc__.splitlines()[0], argv)


def pool(queries: dict[str, list[str]], files: list[str], description: str, argv=None) -> int:
    """Pool ``queries`` (each with its variants) over ``files`` of the real-report tarball and write the
    pool to ``--out`` for a person to grade (also :mod:`bench.pool_heldout3`)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared/data/gov-work-reports.tar.xz")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--depth", type=int, default=8)
    args = ap.parse_args(argv)
    pc = open_pool_corpus(args.real, files, args.workdir)
    out = []
    for q, variants in queries.items():
        found = pool_query(q, variants, pc.kb, pc.postings, pc.texts, args.depth)
        for h in pc.kb.search(SearchRequest(q=q, size=args.depth))["hits"]:  # G: today's search, every tier
            found.setdefault(h["id"], set()).add("search")
        out.append({"q": q, "variants": variants, "pool": [pc.item(pid, found[pid]) for pid in sorted(found)]})
        print(f"{q}: {len(found)}", file=sys.stderr)
    write_pool(out, args.out)
    return 0

if __name__ == "__main__":
    sys.exit(main())
