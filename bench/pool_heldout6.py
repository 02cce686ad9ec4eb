"""Pool candidate paragraphs for the sixth held-out judged set of issue 27
(tests/data/judgments_heldout6_real.toml) over 12 work reports drawn at random (``--draw``: seed
2026120706, 4 provinces, 4 major cities, 4 other cities) from those no file of tests/ or bench/
names, so none is in an earlier pool or judged set. The pool of a query is the union of

- the six methods of ``bench/pool.py`` and the default search of the day, every tier
  (``bench.pool_heldout2``), top ``--depth`` of each, and
- ``bench.pool.grep``: a plain substring pass over every paragraph for the query (spaces removed), each
  variant, and all the query's words apart, not through the product at all, so the pool is not only
  what the search finds (up to ``--grep-cap`` paragraphs, those holding the most of the strings
  first; how many were left off is printed: none for this set).

The queries (problems, measures, and laws a researcher wants every mention of) and their variants
were written before pooling and before anything was measured on the set, but the last three, added
once the pool had been read because no report names any of the five laws; the set is never tuned on.

    .venv/bin/python bench/pool_heldout6.py --workdir DIR --out pool.json --depth 6
    .venv/bin/python bench/pool_heldout6.py --draw      # print the draw FILES holds

Nothing here is committed but the script: the pool is written to ``--out`` for a person to read
and grade. (The seed half, tests/data/judgments_heldout6_seeds.toml, was judged by reading every
paragraph of the five seed reports; it needs no pool.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pool import parse, pool_with_grep  # noqa: E402

#: query: its variants (method C and the grep pass), written before pooling; one query a line
VARIANTS = """
# problems
违法建设: 违法建筑 违章建筑 违建 两违 拆违 私搭乱建 乱搭乱建
非法集资: 集资 金融诈骗 非法金融 金融秩序 高利贷 地下钱庄
环境违法: 环境违法行为 偷排 超标排放 环境执法 环保执法 环境监管执法 污染企业
假冒伪劣: 假冒 伪劣 打假 制假售假 假货 商品质量 市场秩序
吃拿卡要: 卡要 刁难 索拿 乱检查 三乱 四乱 以权谋私
征地拆迁矛盾: 征地拆迁 拆迁 征地 补偿安置 强拆 失地农民 房屋征收
水资源短缺: 水资源 缺水 节水 供水不足 干旱 水源 用水紧张
收入分配差距过大: 收入差距 收入分配 分配不公 贫富差距 两极分化 低收入群体
社会保障覆盖面窄: 社会保障 社保 参保 养老保险 医疗保险 社会保险 扩面
# measures
行政问责: 问责 问责制 责任追究 效能监察 行政监察 追责
村务公开: 村务 村民自治 民主管理 四议两公开 财务公开 村民委员会
禁毒: 毒品 吸毒 贩毒 戒毒 禁种 铲毒
招标投标: 招投标 招标 投标 公共资源交易 政府采购 围标
知识产权保护: 知识产权 专利 商标 侵权 版权 著作权
依法治市: 依法治省 依法治县 依法治区 依法治理 法治城市 依法治州
政务服务中心: 行政服务中心 政务大厅 便民服务中心 一站式 集中办理 服务中心
# regulations, every mention (a researcher's query)
环境保护法: 《环境保护法》 环保法 新环保法 环境保护法律 环境法
土地管理法: 《土地管理法》 土地法 土地管理 土地执法 土地违法
行政诉讼法: 《行政诉讼法》 行政诉讼 民告官 行政应诉 行政审判
预算法: 《预算法》 新预算法 预算管理 预算公开 预算约束
政府信息公开条例: 《政府信息公开条例》 信息公开条例 政府信息公开 信息公开
# added after the pool above had been read: no paragraph of these reports names any of the five
# regulations, so the set would have held 16 queries; these three were written then, knowing the reports
城市管理粗放: 城市管理 精细化管理 脏乱差 市容 城管 占道经营 乱停乱放 数字城管
电信网络诈骗: 电信诈骗 网络诈骗 电诈 反诈 诈骗 养老诈骗
社区矫正: 安置帮教 刑满释放 矫正 特殊人群 重点人群
"""

QUERIES = parse(VARIANTS)

#: the draw (``--draw``), kept here so that later sets naming reports do not change it
FILES = [
    "政府工作报告-省自治区/山东省/1996.md", "政府工作报告-省自治区/山西省/2014.md",
    "政府工作报告-省自治区/河南省/2010.md", "政府工作报告-省自治区/青海省/2012.md",
    "政府工作报告-主要城市/东莞市/2025.md", "政府工作报告-主要城市/哈尔滨市/2009.md",
    "政府工作报告-主要城市/哈尔滨市/2010.md", "政府工作报告-主要城市/郑州市/2013.md",
    "政府工作报告-其他地市/平顶山市/2022.md", "政府工作报告-其他地市/广安市/2022.md",
    "政府工作报告-其他地市/潍坊市/2021.md", "政府工作报告-其他地市/益阳市/2023.md",
]

#: how many reports of each level the draw takes, and its seed
STRATA = {"政府工作报告-省自治区": 4, "政府工作报告-主要城市": 4, "政府工作报告-其他地市": 4}
SEED = 2026120706
OWN = re.compile(r"pool_heldout6\.py|judgments_heldout6_.*\.toml")  # this script and the set it pooled


def main(argv=None) -> int:
    return pool_with_grep(QUERIES, FILES, (STRATA, SEED, OWN), __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
