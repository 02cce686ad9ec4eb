"""Pool candidate paragraphs for the seventh held-out judged set of issue 27
(tests/data/judgments_heldout7_real.toml) over 12 work reports drawn at random (``--draw``: seed
2026120707, 4 provinces, 4 major cities, 4 other cities) from those no file of tests/ or bench/
names, so none is in an earlier pool or judged set. The pool of a query is the union of

- the six methods of ``bench/pool.py`` and the default search of the day, every tier, top
  ``--depth`` of each, and
- ``bench.pool.grep``: a plain substring pass over every paragraph for the query (spaces removed),
  each variant, and all the query's words apart, not through the product at all, so the pool is not
  only what the search finds (up to ``--grep-cap`` paragraphs, those holding the most of the strings
  first; how many were left off is printed)

(``bench.pool.pool_with_grep``, as for held-out 6). The queries (problems worded as officers word
them, and measures) and their variants were written before the draw, before pooling and before
anything was measured on the set; the set is never tuned on.

    .venv/bin/python bench/pool_heldout7.py --workdir DIR --out pool.json --depth 6
    .venv/bin/python bench/pool_heldout7.py --draw      # print the draw FILES holds

Nothing here is committed but the script: the pool is written to ``--out`` for a person to read
and grade. (The seed half, tests/data/judgments_heldout7_seeds.toml, was judged by reading every
paragraph of the five seed reports; it needs no pool.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool import parse, pool_with_grep  # noqa: E402

#: query: its variants (method C and the grep pass), written before the draw; one query a line
VARIANTS = """
# problems
耕地撂荒: 撂荒 抛荒 弃耕 闲置耕地 撂荒地 复耕 复垦
农村空心化: 空心村 空心化 人口外流 农村人口流失 留守老人 村庄空心 外出务工
地质灾害隐患: 地质灾害 滑坡 泥石流 崩塌 地面塌陷 灾害隐患点 避险搬迁
村集体经济薄弱: 集体经济 空壳村 村级集体经济 集体收入 薄弱村 消薄
医疗卫生人才短缺: 卫生人才 医务人员 医疗人才 乡村医生 全科医生 医护人员 人才短缺
能源供应紧张: 电力紧张 缺电 拉闸限电 能源保障 煤炭供应 电力供应 供电紧张 能源短缺
城镇化水平低: 城镇化率 城镇化 城市化水平 新型城镇化 农业转移人口 市民化
对外开放程度不高: 对外开放 开放型经济 外向度 利用外资 外资 开放水平 外向型经济
土地闲置: 闲置土地 批而未供 低效用地 存量土地 盘活土地 土地利用率 闲置
农产品卖难: 卖难 滞销 农产品销售 产销对接 农产品流通 价格低迷 卖粮难
# measures
东西部协作: 东西部扶贫协作 对口支援 对口帮扶 对口协作 援建 结对帮扶
土地流转: 土地经营权流转 承包地流转 流转土地 土地托管 适度规模经营 流转
户籍制度改革: 户籍 户口 落户 居住证 户籍管理 放开落户
农业产业化龙头企业: 龙头企业 农业产业化 公司加农户 农业产业化经营 订单农业 农民专业合作社
开发区建设: 开发区 工业园区 产业园区 高新区 经开区 园区
电子商务进农村: 农村电商 电子商务 电商 网上销售 快递进村 直播带货
农村饮水安全: 饮水安全 安全饮水 饮水工程 人畜饮水 自来水 农村供水
防汛抗旱: 防汛 抗旱 防洪 抗洪 汛期 旱灾 洪涝
民族团结: 民族团结进步 民族工作 少数民族 民族地区 民族区域自治 各民族
森林防火: 森林火灾 护林防火 森林草原防火 防火 山林火灾
留守儿童关爱: 留守儿童 农村留守儿童 关爱 困境儿童 留守妇女 儿童福利
"""

QUERIES = parse(VARIANTS)

#: the draw (``--draw``), kept here so that later sets naming reports do not change it
FILES = [
    "政府工作报告-省自治区/江苏省/2023.md", "政府工作报告-省自治区/江西省/2012.md",
    "政府工作报告-省自治区/青海省/2013.md", "政府工作报告-省自治区/青海省/2020.md",
    "政府工作报告-主要城市/无锡市/2013.md", "政府工作报告-主要城市/海口市/2007.md",
    "政府工作报告-主要城市/苏州市/2021.md", "政府工作报告-主要城市/贵阳市/2011.md",
    "政府工作报告-其他地市/临沂市/2018.md", "政府工作报告-其他地市/娄底市/2021.md",
    "政府工作报告-其他地市/石嘴山市/2018.md", "政府工作报告-其他地市/芜湖市/2022.md",
]

#: how many reports of each level the draw takes, and its seed
STRATA = {"政府工作报告-省自治区": 4, "政府工作报告-主要城市": 4, "政府工作报告-其他地市": 4}
SEED = 2026120707
OWN = re.compile(r"pool_heldout7\.py|judgments_heldout7_.*\.toml")  # this script and the set it pooled


def main(argv=None) -> int:
    return pool_with_grep(QUERIES, FILES, (STRATA, SEED, OWN), __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
