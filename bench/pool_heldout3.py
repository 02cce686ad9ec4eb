"""Pool candidate paragraphs for the third held-out judged set of issue 27
(tests/data/judgments_heldout3_real.toml): the methods of ``bench/pool_heldout2.py`` (the six of
``bench/pool.py`` and the default search of the day, every tier) over 12 work reports of several
years and every level, none in the other judged sets, for measures and problems as users word
them; the variants were written before judging and before any change of the code it measures.
The set is never tuned on.

    .venv/bin/python bench/pool_heldout3.py --workdir DIR --out pool.json [--depth 8]

Nothing here is committed but the script: the pool is written to ``--out`` for a person to read
and grade. (The seed half, tests/data/judgments_heldout3_seeds.toml, was judged by reading every
paragraph of the five seed reports; it needs no pool.)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool_heldout2 import pool  # noqa: E402

#: query -> variants (method C), written before judging: how reports also say it.
QUERIES: dict[str, list[str]] = {
    # problems (招工难, pooled first, was dropped: no paragraph of these reports says it)
    "基础设施欠账": ["基础设施薄弱", "基础设施短板", "历史欠账", "基础设施滞后", "补短板"],
    "公共服务不均衡": ["公共服务均等化", "基本公共服务", "城乡差距", "优质资源", "发展不平衡"],
    "生态环境脆弱": ["生态脆弱", "生态保护", "水土流失", "石漠化", "生态修复", "环境承载"],
    "县域经济薄弱": ["县域经济", "县域短板", "县域发展", "经济总量小", "产业支撑不足"],
    # measures
    "精准扶贫": ["精准脱贫", "脱贫攻坚", "扶贫开发", "贫困人口", "建档立卡", "易地扶贫搬迁"],
    "河道整治": ["河道治理", "河湖治理", "清淤", "水系治理", "河长制", "黑臭水体"],
    "全民健身": ["体育健身", "健身设施", "体育场馆", "群众体育", "健身步道", "体育事业"],
    "职业教育发展": ["职业教育", "职业院校", "产教融合", "技工学校", "中职", "高职"],
    "交通拥堵治理": ["交通拥堵", "治堵", "缓堵", "停车难", "公共交通", "交通组织"],
    "房地产去库存": ["去库存", "化解房地产库存", "商品房库存", "农民工购房", "货币化安置"],
    "农村危房改造": ["危房改造", "农村危房", "住房安全", "危旧房", "农房改造"],
    "秸秆综合利用": ["秸秆禁烧", "秸秆还田", "秸秆", "焚烧", "农业废弃物"],
}

FILES = [
    "政府工作报告-国务院/2016.md",
    "政府工作报告-省自治区/四川省/2019.md", "政府工作报告-省自治区/浙江省/2017.md",
    "政府工作报告-省自治区/黑龙江省/2021.md", "政府工作报告-省自治区/贵州省/2016.md",
    "政府工作报告-主要城市/武汉市/2018.md", "政府工作报告-主要城市/沈阳市/2020.md",
    "政府工作报告-主要城市/南宁市/2023.md",
    "政府工作报告-其他地市/六盘水市/2016.md", "政府工作报告-其他地市/咸阳市/2023.md",
    "政府工作报告-其他地市/伊春市/2021.md", "政府工作报告-其他地市/常州市/2019.md",
]


def main(argv=None) -> int:
    return pool(QUERIES, FILES, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
