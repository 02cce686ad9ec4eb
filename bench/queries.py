"""The fixed query set of the benchmark: (query, filters), the same for every engine.

2-6 character words, several words, quoted phrases, an exclusion, with and without
facet filters. Filters use only agency, year and level, which every engine indexes.
"""

WORDS = ["改革", "扶贫", "医保", "养老", "就业", "税收", "放管服", "碳达峰", "互联网", "城镇化",
         "营商环境", "乡村振兴", "数字经济", "脱贫攻坚", "高质量发展", "棚户区改造", "全面深化改革", "城市更新改造"]
MULTI = ["乡村振兴 数字经济", "医保 养老", "营商环境 放管服", "教育 医疗 住房", "生态环境 污染防治", "改革 -扶贫"]
PHRASES = ['"一带一路"', '"高质量发展"', '"放管服"', '"人民群众"', '"新型城镇化"', '"城市更新改造"']
FILTERED = [
    ("改革", {"year": ["2019"]}),
    ("乡村振兴", {"level": ["省"]}),
    ("营商环境", {"year": ["2021", "2022"]}),
    ("扶贫", {"agency": ["北京市"]}),
    ("就业", {"level": ["市"], "year": ["2020"]}),
    ("高质量发展", {"agency": ["上海市", "广州市"]}),
    ('"一带一路"', {"level": ["省"]}),
    ("医保 养老", {"year": ["2022"]}),
    ("数字经济", {"agency": ["国务院"]}),
    ("放管服", {"level": ["市"]}),
]


def query_set() -> list[tuple[str, dict[str, list[str]]]]:
    return [(q, {}) for q in WORDS + MULTI + PHRASES] + FILTERED
