"""The places a question names: provinces, the cities and prefectures our documents speak of, any other
city of the country named as a word, and the country as a whole (全国, 我国)."""

from __future__ import annotations

import re

from ..text.dates import named_years
from ..text.regions import cities_named

# The country as a whole ("全国技术合同成交额", "我国研发经费投入强度"); not the bodies named 全国…
# (全国人大, 全国政协) nor days and months named for the country (全国科技工作者日, 全国科普月).
# "国家那部…法" points at the national law.
NATIONAL = re.compile(
    r"全国(?!人大|人民代表|政协|人民政治协商|[\u4e00-\u9fff]{0,6}(?:日|周|月)(?:[的是为在，。？]|$))|我国|全中国"
    r"|国家(?:那|这)[部个份项]"  # "国家那部促进科技成果转化的法": the national one, not a province's
)
PLACES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 "
    "四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门 兵团 深圳 大连 青岛 厦门 宁波 苏州 杭州 武汉 成都 西安 "
    "乌鲁木齐 昌吉 石河子 哈密 喀什 伊犁 克拉玛依 吐鲁番 阿克苏 和田 库尔勒 中亚 哈萨克斯坦 塔吉克斯坦 吉尔吉斯斯坦 乌兹别克斯坦"
).split()
# The province each listed city or prefecture lies in: a sentence about 杭州 speaks of 浙江 too.
PROVINCE_OF = {
    **dict.fromkeys("深圳".split(), "广东"), "大连": "辽宁", "青岛": "山东", "厦门": "福建",
    **dict.fromkeys("宁波 杭州".split(), "浙江"), "苏州": "江苏", "武汉": "湖北", "成都": "四川", "西安": "陕西",
    **dict.fromkeys("乌鲁木齐 昌吉 石河子 哈密 喀什 伊犁 克拉玛依 吐鲁番 阿克苏 和田 库尔勒 兵团".split(), "新疆"),
}  # fmt: skip


def places_and_years(text: str, regions: tuple[str, ...] = ()) -> tuple[list[str], list[int]]:
    """Places the text names (our list plus the regions of indexed documents) and the years it names."""
    places: list[str] = []
    for p in sorted({*PLACES, *regions}, key=len, reverse=True):  # 乌鲁木齐 before a shorter name inside it
        if p in text and not any(p in longer for longer in places):
            places.append(p)
    # Any other city of the country named as a word ("烟台市…"): a question about it is not answered from
    # another city's document, and where no passage speaks of it, it is refused as such.
    places += [c for c in cities_named(text) if not any(c in p or p in c for p in places)]
    return sorted(places, key=text.index), named_years(text)
