"""Furniture: the lines a government site puts around a report, told apart from the report's own.

Used by :mod:`kb.ingest.repair` on every line of text copied off a page and every block of a web
page, wherever it stands (above the title, between paragraphs, below the signature). A line
is judged as a whole, never by a word in it: ``3D打印`` and ``利益分享机制`` are content,
``【打印本页】 【关闭窗口】`` and ``分享到：微信 微博`` are not. Furniture is:

- navigation: breadcrumbs (``首页 > 政府信息公开 >``), the site's name (``…门户网站``),
  ``上一篇：…``, link lists (``中国政府网 | 国务院部门网站``);
- widgets: share, print, close, font size, full screen, ``扫一扫在手机打开当前页``,
  ``相关链接>>`` — a line made of nothing but such words;
- the article's information lines: ``时间：… 来源：… 编辑：…``, ``浏览次数：…``, 索引号/发布机构
  tables, a bare time stamp (``2026-01-31 07:00:44``);
- footers: ``主办单位``, ``ICP备``, ``公网安备``, ``网站标识码``, ``版权所有``.

A date-and-source prefix glued to the first paragraph (``2026-01-31 07:00:44来源：青海日报各位代表：``)
is cut off, the paragraph kept. The lines removed are returned: ``来源：海南省人民政府办公厅``
and ``…人民政府门户网站`` are evidence of the agency for :mod:`kb.ingest.metadata`.
"""

from __future__ import annotations

import re

#: Labels of a page's information lines (时间：… 来源：…).
LABELS = (
    "发布时间|更新时间|发布日期|成文日期|发文日期|时间|日期|信息来源|文章来源|稿件来源|来源|作者|责任编辑|编辑|审核|校对|"
    "浏览次数|浏览量|浏览|点击数|点击量|点击|阅读次数|阅读量|阅读|访问量|字号|字体|索引号|发布机构|发文机关|发文单位|主题分类|"
    "公开方式|公开范围|文号|有效性|分类|撰稿|摄影|供稿"
)
INFO = re.compile(rf"^[(（【\[]?\s*(?:{LABELS})\s*[:：]")
INFO_ANY = re.compile(rf"(?:{LABELS})\s*[:：]")
#: Words a widget line is made of (longest first when removed).
WIDGET_WORDS = sorted(
    """扫一扫在手机打开当前页 在手机打开当前页 扫一扫在手机上查看当前页面 手机扫一扫 扫一扫 打印本页 打印此页 打印文章 打印
    关闭窗口 关闭本页 关闭 返回顶部 回到顶部 顶部 返回 收藏本页 加入收藏 收藏 全屏 分享到 分享 微信好友 微信 新浪微博 腾讯微博
    微博 QQ空间 QQ好友 QQ 朋友圈 人人网 豆瓣 相关链接 相关文章 相关新闻 相关阅读 相关附件 网站地图 联系我们 我要纠错 纠错
    无障碍浏览 无障碍 长者模式 关怀版 繁體 繁体 简体 登录 注册 更多 字号 字体 加大 还原 减小 默认 大 中 小 >> » > ＞""".split(),
    key=len, reverse=True,
)
WIDGET_REST = re.compile(r"[\s【】\[\]［］()（）|｜/·•:：,，、\-–—_]+")
BREADCRUMB = re.compile(r"^(?:(?:您|你)?(?:当前|现在)?的?(?:所在)?位置\s*[:：]?\s*)?(?:网站)?首页\s*(?:>|＞|»|→|/|>>|-)")
FOOTER = re.compile(r"ICP\s*备|ICP证|公网安备|网站标识码|主办单位\s*[:：]|承办单位\s*[:：]|^主办[:：]|^承办[:：]|版权所有|技术支持[:：]|Copyright|©")
SITE_NAME = re.compile(r"^(?:中国政府网|[\u4e00-\u9fff]{2,24}门户网站|[\u4e00-\u9fff]{1,12}(?:省|市|区|县|州|盟|旗)(?:人民政府|政府)?"
                       r"(?:网|网站|政务网|政务服务网))$")
STAMP = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
NEIGHBOUR = re.compile(r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]")
#: Where the name of a source ends (来源：青海日报各位代表： -> 青海日报).
SOURCE_END = r"(?:日报社|日报|晚报|时报|报社|新闻网|新闻中心|融媒体中心|电视台|新华社|人民网|新华网|网|办公厅|办公室|人民政府|政府|委员会|局|中心)"
GLUED = re.compile(
    rf"^(?:(?:发布)?时间\s*[:：]\s*)?\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*"
    rf"(?:(?:来源|作者|编辑|责任编辑)\s*[:：]\s*(?:[\u4e00-\u9fff]{{1,16}}?{SOURCE_END}(?:办公厅|办公室)?|[\u4e00-\u9fff]{{2,4}}(?=\s))\s*)*"
)


def is_widget(line: str) -> bool:
    """A line made only of widget words (分享 打印 关闭窗口 【字号：加大 还原 减小】 相关链接>>)."""
    rest = line
    for word in WIDGET_WORDS:
        rest = rest.replace(word, " ")
    return not WIDGET_REST.sub("", rest)


def is_info(line: str) -> bool:
    """时间：2026-01-31 来源：青海日报 编辑：王晓 / 浏览次数：123 / 索引号：… (no sentence in it)."""
    return bool(INFO.match(line)) and len(line) <= 160 and not re.search(r"[。；！？]", line)


def is_links(line: str) -> bool:
    """中国政府网 | 国务院部门网站 | 地方政府网站: short names between bars."""
    items = [x.strip() for x in re.split(r"\s*[|｜]\s*", line)]
    return len(items) >= 3 and all(0 < len(x) <= 16 and not re.search(r"[。，；！？]", x) for x in items)


def is_breadcrumb(line: str) -> bool:
    """首页 > 政府信息公开 > …, 当前位置：首页 > …"""
    return bool(BREADCRUMB.match(line))


def is_footer(line: str) -> bool:
    """主办单位：…, ICP备…, 版权所有 … (a line of no more than 160 characters)."""
    return bool(FOOTER.search(line)) and len(line) <= 160


def is_site_name(line: str) -> bool:
    """…门户网站, 中国政府网, …市人民政府网 (not a numbered line: 一、…网站)."""
    return bool(SITE_NAME.match(line)) and not re.match(r"^[一二三四五六七八九十（(\d]", line)


def is_stamp(line: str) -> bool:
    """A bare time stamp: 2026-01-31 07:00:44."""
    return bool(STAMP.match(line))


def is_neighbour(line: str) -> bool:
    """上一篇：…, 下一条：…"""
    return bool(NEIGHBOUR.match(line))


#: The kinds of site line without a full stop, tried in this order.
KINDS = (is_widget, is_info, is_breadcrumb, is_footer, is_site_name, is_stamp, is_neighbour, is_links)


def is_furniture(line: str) -> bool:
    """True if ``line`` (stripped) is a line of the site, not of the report."""
    s = line.strip(" \t\u3000\xa0")
    if not s or len(s) > 200:
        return False
    if re.search(r"[。；！？]", s):
        return bool(FOOTER.search(s)) and len(s) <= 120 and s.count("。") <= 1 and is_footer_only(s)
    return any(kind(s) for kind in KINDS)


def is_footer_only(s: str) -> bool:
    """A footer line with a full stop in it (版权所有。未经许可不得转载。): every part is footer-like."""
    return all(FOOTER.search(part) or len(part) <= 12 for part in re.split(r"[。；]", s) if part)


def glued_prefix(line: str) -> str:
    """The date-and-source prefix glued to a paragraph (``2026-01-31 07:00:44来源：青海日报``),
    or '' if the line has none or is nothing else."""
    m = GLUED.match(line.strip())
    if not m or not re.search(r"[:：]|\d{1,2}:\d{2}", m.group(0)):
        return ""
    rest = line.strip()[m.end():]
    return m.group(0).strip() if re.search(r"[\u4e00-\u9fff]", rest) else ""


def split(lines: list[str]) -> tuple[list[int], dict[int, str]]:
    """(indexes of furniture lines, {index: glued prefix to cut}) of the lines of a text."""
    drop, cut = [], {}
    for i, line in enumerate(lines):
        if is_furniture(line):
            drop.append(i)
        else:
            prefix = glued_prefix(line)
            if prefix:
                cut[i] = prefix
    return drop, cut


def source_agency(lines: list[str]) -> str:
    """The government office a ``来源：`` line names (来源：海南省人民政府办公厅 -> 海南省人民政府),
    or the site's own name (赣州市人民政府门户网站 -> 赣州市人民政府); '' if none."""
    for line in lines:
        for m in re.finditer(r"(?:来源|发布机构|发文机关)\s*[:：]\s*([\u4e00-\u9fff]{2,20}?(?:人民政府|政府))(?:办公厅|办公室)?", line):
            return m.group(1)
        m = re.match(r"^([\u4e00-\u9fff]{2,20}?人民政府)(?:门户)?网站?$", line.strip())
        if m:
            return m.group(1)
    return ""
