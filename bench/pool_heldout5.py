"""Pool candidate paragraphs for the fifth held-out judged set of issue 27
(tests/data/judgments_heldout5_real.toml) with ``bench.pool_heldout2.pool`` (the six methods of
``bench/pool.py`` and the default search of the day, every tier) over 14 work reports drawn at
random (``--draw``: seed 2026120705, 5 provinces, 4 major cities, 5 other cities; every State
Council report is in an earlier set) from those no file of tests/ or bench/ names, so none is in an
earlier pool or judged set. The queries (problems, measures, and laws a researcher wants every
mention of) and their variants were written before pooling and before anything was measured on
the set; the set is never tuned on.

    .venv/bin/python bench/pool_heldout5.py --workdir DIR --out pool.json --depth 6
    .venv/bin/python bench/pool_heldout5.py --draw      # print the draw FILES holds

Nothing here is committed but the script: the pool is written to ``--out`` for a person to read
and grade. (The seed half, tests/data/judgments_heldout5_seeds.toml, was judged by reading every
paragraph of the five seed reports; it needs no pool.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pool import draw, parse  # noqa: E402
from bench.pool_heldout2 import pool  # noqa: E402

#: query: its variants (method C), written before pooling: how reports also say it; one query a line
VARIANTS = """
# problems
执法不严: 执法不严格 有法不依 违法不究 执法不公 以权代法 执法犯法
社会诚信缺失: 诚信缺失 信用缺失 失信 诚信建设 信用体系 守信
群众办事难: 办事难 门难进 事难办 来回跑 跑腿 办事效率
政府职能转变不到位: 职能转变 转变政府职能 越位 缺位 政企不分 管了不该管
资源环境约束趋紧: 资源约束 环境容量 能耗 节能减排 环境承载 资源环境
违规占用耕地: 耕地保护 乱占耕地 基本农田 土地违法 违法用地 占补平衡
# measures
公共法律服务: 法律援助 法律服务 法律顾问 公证 律师 一村一法律顾问
矛盾纠纷多元化解: 矛盾纠纷 多元化解 人民调解 大调解 调解 排查调处
政府立法: 地方性法规 政府规章 立法 法规草案 规章 提请审议
接受人大监督: 人大监督 人大代表建议 政协提案 民主监督 人大及其常委会 审议意见
审计监督: 审计 经济责任审计 审计整改 财政监督 审计发现
政务诚信: 政府守信 诚信政府 政府失信 兑现承诺 新官不理旧账 政府信用
# regulations, every mention (a researcher's query). 预算法 and 依法行政纲要, pooled first, were
# dropped (no paragraph of these reports names them); the last three queries were added then, with
# the reports partly read.
行政许可法: 《行政许可法》 行政许可 许可法 审批制度改革
七五普法: 七五 普法 法制宣传教育 六五普法 法治宣传 全民普法
安全生产法: 《安全生产法》 新安全生产法 安全生产法律法规 安全生产责任制 安全生产
乱收费: 乱罚款 乱摊派 三乱 涉企收费 行政事业性收费 减轻企业负担
行政执法责任制: 执法责任制 执法过错责任追究 执法责任 行政执法评议考核 执法监督
"""

QUERIES = parse(VARIANTS)

#: the draw (``--draw``), kept here so that later sets naming reports do not change it
FILES = [
    "政府工作报告-省自治区/广西壮族自治区/2012.md", "政府工作报告-省自治区/江苏省/2004.md",
    "政府工作报告-省自治区/浙江省/1993.md", "政府工作报告-省自治区/甘肃省/1999.md",
    "政府工作报告-省自治区/贵州省/2015.md",
    "政府工作报告-主要城市/佛山市/2025.md", "政府工作报告-主要城市/哈尔滨市/2021.md",
    "政府工作报告-主要城市/太原市/2005.md", "政府工作报告-主要城市/沈阳市/2016.md",
    "政府工作报告-其他地市/南平市/2021.md", "政府工作报告-其他地市/宜春市/2022.md",
    "政府工作报告-其他地市/宣城市/2020.md", "政府工作报告-其他地市/承德市/2022.md",
    "政府工作报告-其他地市/江门市/2022.md",
]

#: how many reports of each level the draw takes, and its seed
STRATA = {"政府工作报告-省自治区": 5, "政府工作报告-主要城市": 4, "政府工作报告-其他地市": 5}
SEED = 2026120705
OWN = re.compile(r"pool_heldout5\.py|judgments_heldout5_.*\.toml")  # this script and the set it pooled


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--draw" in argv:
        print("\n".join(draw(ROOT.parent / "shared/data/gov-work-reports.tar.xz", STRATA, SEED, OWN)))
        return 0
    return pool(QUERIES, FILES, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
