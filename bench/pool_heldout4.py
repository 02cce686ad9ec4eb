"""Pool candidate paragraphs for the fourth held-out judged set of issue 27
(tests/data/judgments_heldout4_real.toml): the methods of ``bench/pool_heldout2.py`` (the six of
``bench/pool.py`` and the default search of the day, every tier) over 12 work reports drawn at random
(seed 20261207) from those in no other judged set, 4 provinces, 4 major cities and 4 other cities of
1993-2026, for measures and problems as users word them; the queries and their variants were written
before pooling and before any change of the code it measures. The set is never tuned on.

    .venv/bin/python bench/pool_heldout4.py --workdir DIR --out pool.json [--depth 8]

Nothing here is committed but the script: the pool is written to ``--out`` for a person to read
and grade. (The seed half, tests/data/judgments_heldout4_seeds.toml, was judged by reading every
paragraph of the five seed reports; it needs no pool.)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool_heldout2 import pool  # noqa: E402

#: query -> variants (method C), written before pooling: how reports also say it.
QUERIES: dict[str, list[str]] = {
    # problems
    "国有企业亏损": ["扭亏增盈", "扭亏为盈", "亏损企业", "国有企业困难", "减亏", "改革脱困"],
    "农民负担重": ["减轻农民负担", "农民负担", "税费改革", "农业税", "乱收费", "三提五统"],
    "物价上涨过快": ["物价涨幅", "通货膨胀", "抑制通胀", "价格总水平", "稳定物价", "价格调控"],
    "社会治安问题": ["社会治安综合治理", "严打", "刑事案件", "平安建设", "打击犯罪", "治安防控"],
    "要素保障不足": ["要素保障", "用地指标", "资金短缺", "土地供应", "用工", "融资难"],
    # measures
    "下岗职工再就业": ["下岗职工", "再就业工程", "再就业服务中心", "基本生活保障", "分流安置", "再就业"],
    "政府机构改革": ["机构改革", "精简机构", "转变政府职能", "政企分开", "人员分流", "简政"],
    "文明城市创建": ["全国文明城市", "创文", "精神文明建设", "文明创建", "城市文明", "卫生城市"],
    "水利建设": ["水利工程", "农田水利", "水库", "防洪", "灌区", "水利设施"],
    "菜篮子工程": ["菜篮子", "副食品", "蔬菜基地", "市场供应", "米袋子", "农贸市场"],
    "棚户区改造": ["棚改", "棚户区", "旧城改造", "城中村", "危旧房", "征收安置"],
    "乡村振兴": ["乡村振兴战略", "美丽乡村", "农业农村现代化", "和美乡村", "农村改革", "宜居宜业"],
}

FILES = [
    "政府工作报告-省自治区/浙江省/1995.md", "政府工作报告-省自治区/广东省/2013.md",
    "政府工作报告-省自治区/海南省/2004.md", "政府工作报告-省自治区/海南省/1993.md",
    "政府工作报告-主要城市/佛山市/2019.md", "政府工作报告-主要城市/兰州市/2026.md",
    "政府工作报告-主要城市/太原市/2002.md", "政府工作报告-主要城市/泉州市/2023.md",
    "政府工作报告-其他地市/开封市/2014.md", "政府工作报告-其他地市/呼伦贝尔市/2021.md",
    "政府工作报告-其他地市/吉林市/2014.md", "政府工作报告-其他地市/淮北市/2016.md",
]


def main(argv=None) -> int:
    return pool(QUERIES, FILES, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
