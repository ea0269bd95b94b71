"""Where a policy text is from: its region (a province-level name or a city) and its level (central,
province, city), read from its title or issuer, or else from how its body speaks of its own place.

``detect`` (metadata.py) tries the title, then the issuer, then the body.
"""

from __future__ import annotations

import re
from collections import Counter

from ..text.regions import CITY_SUFFIXES, PROVINCES, province_of_city
from ..text.segment import mentions

CENTRAL_ISSUERS = re.compile(
    r"^(?:中共中央|国务院|全国人民代表大会|全国人大|中华人民共和国|中央|国家|最高人民|工业和信息化部|科学技术部|科技部|教育部|财政部|"
    r"商务部|民政部|公安部|司法部|人力资源和社会保障部|自然资源部|生态环境部|住房和城乡建设部|交通运输部|水利部|农业农村部|"
    r"文化和旅游部|国家卫生健康委|卫生健康委|审计署|应急管理部|中国人民银行|海关总署|国家发展和改革委员会|国家发展改革委|"
    r"发展改革委|市场监管总局|国家市场监督管理总局)"
)
# How a provincial document speaks of its own province ("全省", "省委、省政府", "省科技厅牵头") and a
# city's of its own city; a central document says "各省、自治区、直辖市" instead.
# "本省、自治区、直辖市" and "省、自治区、直辖市人民政府" are how a central text addresses every province;
# "各市人民政府" how a province addresses its cities, "设区的市人民政府" a law every city, "城市政府" any
# city: none is a document's own.
_OWN_PROVINCE = re.compile(
    r"(?:全省|我省|本省)(?![、（(]自治区)|省委|(?<!各)省(?:人民)?政府|"
    r"省[\u4e00-\u9fff]{1,4}(?:厅|委员会|委|局)(?:牵头|配合|、|）|，)"
)
_OWN_CITY = re.compile(r"全市|我市|本市|(?<![城各辖的])市委|(?<![城各省辖的])市(?:人民)?政府")


def region_of(text: str) -> tuple[str | None, str | None]:
    """(region, level) from an issuer or title: a province-level name, or a city."""
    text = text.lstrip("《")
    for p in PROVINCES:
        if text.startswith(p):
            return p, "province"
    if m := re.match(r"([\u4e00-\u9fff]{2,4}?)市", text):
        return m.group(1), "city"
    if CENTRAL_ISSUERS.match(text):
        return None, "central"
    return None, None


def _votes(text: str) -> tuple[Counter, Counter]:
    """How often the text names each province (its cities counting for it: a provincial plan names
    济南 and 青岛 more than 山东) and each city."""
    cities = province_of_city()
    by_city = Counter({c: n for c in cities if c in text and (n := mentions(text, c, CITY_SUFFIXES))})
    by_province = Counter({p: n for p in PROVINCES if (n := text.count(p))})
    for city, n in by_city.items():
        by_province[cities[city]] += n
    return by_province, by_city


def _dominant(votes: Counter, least: int) -> str | None:
    """The one name counted at least ``least`` times and at least twice as often as any other."""
    (name, top), *rest = votes.most_common(2) or [(None, 0)]
    return name if top >= least and (not rest or top >= 2 * rest[0][1]) else None


def region_of_body(text: str) -> tuple[str | None, str | None]:
    """(region, level) of a document that names none in its title or issuer, from how it speaks of its
    own place: a province's says "全省/我省/省委/省X厅", a city's "全市/我市/市委/市政府", a central
    one "各省、自治区、直辖市". The place is the one it names far more often than any other."""
    own_province, own_city = len(_OWN_PROVINCE.findall(text)), len(_OWN_CITY.findall(text))
    by_province, by_city = _votes(text)
    # Both together must be more than a passing mention: a central white paper that quotes "江苏省经信委"
    # twice is not Jiangsu's, nor a party congress report that says "工业学大庆" six times and "原上海市委"
    # once Daqing's.
    if own_city > own_province:  # a city's document, though perhaps not one we can name
        city = _dominant(by_city, 2) if own_city >= 2 else None
        return (city, "city") if city and own_city + by_city[city] >= 6 else (None, None)
    province = _dominant(by_province, 1) if own_province else None
    if province and own_province + by_province[province] >= 5:
        return province, "province"
    return None, None
