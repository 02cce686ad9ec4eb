"""Pool candidate paragraphs for the held-out judged set of issue 27
(tests/data/judgments_heldout_real.toml): the same six methods as ``bench/pool.py``, for
other queries -- measures the dictionary (kb/data/concepts.toml) mostly does not hold and
problems (不足, 短板, 薄弱) as an officer words them -- written with their variants before
judging and before any model of meaning existed.

    .venv/bin/python bench/pool_heldout.py --workdir DIR --out pool.json [--depth 12]

The reports are those of tests/data/judgments_real.toml (the work reports given in 2024),
imported and indexed into ``--workdir`` as ``tools.evaluate`` does. Nothing here is
committed but the script: the pool is written to ``--out`` for a person to read and grade.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pool import open_pool_corpus, pool_query, write_pool  # noqa: E402
from tools import evaluate  # noqa: E402

#: query -> variants (method C), written before judging: how reports also say it.
QUERIES: dict[str, list[str]] = {
    # problems, as the 困难和问题 paragraphs word them in many ways
    "有效需求不足": ["需求不足", "消费需求", "需求偏弱", "消费恢复", "市场需求", "消费意愿"],
    "财政收支压力": ["收支矛盾", "紧平衡", "财政收支", "财力", "减收增支", "财政运行"],
    "企业经营困难": ["经营困难", "生产经营", "企业困难", "经营压力", "困难企业"],
    "民生短板": ["短板", "公共服务", "民生领域", "不少短板", "弱项"],
    "创新能力不强": ["创新能力", "创新动能", "科技创新", "研发投入", "创新策源"],
    "产业结构不优": ["产业结构", "新兴产业", "传统产业", "转型升级", "结构性矛盾"],
    "干部作风不实": ["形式主义", "官僚主义", "担当作为", "作风", "能力不足", "本领恐慌"],
    "房地产风险": ["房地产", "保交楼", "房地产市场", "风险隐患", "房企"],
    "就业压力大": ["就业压力", "结构性就业矛盾", "就业", "青年就业"],
    "安全风险隐患": ["风险隐患", "安全生产", "隐患", "重大事故", "安全稳定"],
    "基层治理薄弱": ["基层治理", "社会治理", "基层", "网格化"],
    "城乡发展不平衡": ["城乡", "区域发展", "不平衡", "县域", "发展不充分"],
    # measures, mostly not in the dictionary or worded otherwise
    "以旧换新": ["大规模设备更新", "以旧换新", "换新", "设备更新"],
    "人才引进": ["引才", "招才引智", "人才", "引进人才", "高层次人才"],
    "科技成果转化": ["成果转化", "成果转移转化", "产学研", "技术转移"],
    "企业上市": ["上市公司", "上市企业", "挂牌", "资本市场"],
    "夜间经济": ["夜经济", "夜市", "夜游", "消费新场景"],
    "乡村旅游": ["农文旅", "民宿", "乡村游", "休闲农业", "文旅融合"],
    "低空经济": ["低空", "无人机", "通用航空", "eVTOL"],
    "社会救助": ["低保", "特困", "困难群众", "救助"],
    "残疾人服务": ["残疾人", "助残", "无障碍", "重度残疾人"],
    "退役军人服务": ["退役军人", "双拥", "优抚", "拥军"],
    "住房公积金": ["公积金", "住房保障", "缴存"],
    "小微企业融资": ["融资难", "普惠", "贷款", "信贷", "融资担保"],
    "稳外贸": ["外贸", "进出口", "出口", "跨境电商"],
    "生态修复": ["生态保护修复", "矿山修复", "山水林田湖草", "国土绿化", "水土流失"],
    "义务教育优质均衡": ["优质均衡", "集团化办学", "学位", "义务教育"],
    "医共体": ["医联体", "紧密型县域医共体", "分级诊疗", "医疗资源下沉"],
    "基层减负": ["为基层减负", "形式主义", "文山会海", "督查检查考核"],
    "粮食安全": ["粮食产量", "粮食生产", "播种面积", "种粮"],
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared/data/gov-work-reports.tar.xz")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--depth", type=int, default=12)
    args = ap.parse_args(argv)
    files = evaluate.load_set(ROOT / "tests/data/judgments_real.toml").files
    pc = open_pool_corpus(args.real, files, args.workdir)
    out = []
    for q, variants in QUERIES.items():
        found = pool_query(q, variants, pc.kb, pc.postings, pc.texts, args.depth)
        out.append({"q": q, "variants": variants, "pool": [pc.item(pid, found[pid]) for pid in sorted(found)]})
        print(f"{q}: {len(found)}", file=sys.stderr)
    write_pool(out, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
