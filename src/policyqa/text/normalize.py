"""Character-level normalisation shared by cleaning, lexical search and matching.

Two different needs: the *display* text keeps what the author wrote (Chinese punctuation, the
document-number bracket style, traditional or simplified characters), while the *search key* folds
every variant an official might type (width, bracket style, spacing, traditional characters) onto one
form so that lexical matching does not depend on them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Full-width ASCII letters, digits and a few symbols become half-width; Chinese punctuation such as
# ，。（）：； stays full-width because that is how the documents are written and read.
_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ASCII.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ASCII.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ASCII.update({ord("％"): "%", ord("＋"): "+", ord("＆"): "&", ord("＠"): "@", ord("＃"): "#"})
_FULLWIDTH_ASCII.update({ord("\u3000"): " ", ord("\u00a0"): " ", ord("\u2002"): " ", ord("\u2003"): " "})
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)

CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = (
    r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7\u2022"
)
_CJK_RE = re.compile(f"[{CJK}]")

# Spaces between Chinese and digits, Latin or punctuation are PDF layout artefacts ("确定了 6项").
# A space between two Chinese words is kept: it separates joint issuers ("财政部 科技部").
_SPACE_AROUND_CJK = re.compile(
    rf"(?<=[{CJK_PUNCT}])[ \t]+|[ \t]+(?=[{CJK_PUNCT}])"
    rf"|(?<=[{CJK}])[ \t]+(?=[^{CJK}\s])|(?<=[^{CJK}\s])[ \t]+(?=[{CJK}])"
)
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \t]+(?=%)")

OPEN_BRACKETS = "〔﹝[【［(（〖"
CLOSE_BRACKETS = "〕﹞]】］)）〗"
# 新政发〔2018〕44号 and its variants: an issuer prefix, a bracketed year, a serial number and 号.
DOCNUM_RE = re.compile(
    rf"(?P<prefix>[{CJK}]{{1,12}})\s*[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>(?:19|20)\d\d)\s*"
    rf"[{re.escape(CLOSE_BRACKETS)}]\s*(?P<serial>\d{{1,4}})\s*号"
)


def normalize_chars(text: str) -> str:
    """Width-fold ASCII, drop invisible characters and normalise line ends; keeps Chinese punctuation."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE).translate(_FULLWIDTH_ASCII)
    # Compatibility forms of CJK ideographs (e.g. U+F900 block) read the same; fold them.
    return "".join(unicodedata.normalize("NFKC", c) if 0xF900 <= ord(c) <= 0xFAFF else c for c in text)


def tidy_spaces(line: str) -> str:
    """Remove layout spaces around Chinese text and collapse the rest."""
    line = _SPACE_AROUND_CJK.sub("", line)
    line = _SPACE_BEFORE_PERCENT.sub("", line)
    return re.sub(r"[ \t]{2,}", " ", line).strip()


def canonical_docnum(match: re.Match[str]) -> str:
    return f"{match['prefix']}〔{match['year']}〕{match['serial']}号"


# Bumped whenever search_key changes what it folds: indexes store it, since their BM25 tokens were made
# with it (2: traditional characters folded to simplified).
SEARCH_KEY_VERSION = 2


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> dict[int, str]:
    """OpenCC's traditional → simplified character table (its first, most common, candidate).

    Characters only, not OpenCC's phrase conversion: a key must fold the same character the same way in
    a question and in a passage whatever surrounds it, keep the text's length, and cost nothing (one
    str.translate). Characters that are also simplified (乾, 著) map to themselves in OpenCC's table
    and so stay unfolded, except where OpenCC's first choice differs; both sides fold alike anyway."""
    from importlib.resources import files

    table = {}
    data = files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return table


def to_simplified(text: str) -> str:
    """Traditional characters folded to simplified ones, character by character (for matching only)."""
    return text.translate(_traditional_to_simplified())


def search_key(text: str) -> str:
    """The form used for matching: width-folded, lower-cased, simplified characters, no whitespace, one
    bracket style."""
    text = to_simplified(normalize_chars(text).lower())
    text = unicodedata.normalize("NFKC", text)  # folds （）：，etc. too: fine for a key, never shown
    text = re.sub(r"\s+", "", text)
    return DOCNUM_RE.sub(canonical_docnum, text)


# Terms officials abbreviate and documents spell out (or the other way round): a question about "GDP"
# is answered by "国内生产总值增长9.1%", one about "高企" by "高新技术企业达到3903家". Only the standard
# short forms of statistics, bodies and policy language, each meaning exactly its long form wherever it
# is written. Search-key forms; each maps to all of its forms.
_SAME_TERM = (
    ("gdp", "国内生产总值"),
    ("cpi", "居民消费价格", "物价"),
    ("ppi", "工业生产者出厂价格"),
    ("pmi", "采购经理指数"),
    ("r&d", "研发", "研究与试验发展", "研究与试验开发", "研究开发"),
    ("m2", "广义货币供应量", "广义货币", "货币供应量"),
    ("pue", "电能利用效率"),
    ("5g", "第五代移动通信"),
    ("高企", "高新技术企业"),
    ("双创", "大众创业、万众创新", "大众创业万众创新"),
    ("高校", "高等学校", "高等院校"),
    ("科研院所", "科研机构", "研究开发机构"),
    ("国企", "国有企业"),
    ("民企", "民营企业"),
    ("央企", "中央企业"),
    ("专项债", "专项债券"),
    ("新基建", "新型基础设施"),
    ("社保", "社会保险", "社会保障"),
    ("医保", "医疗保险", "医疗保障"),
    ("科技部", "科学技术部"),
    ("工信部", "工业和信息化部"),
    ("发改委", "发展改革委", "发展和改革委员会"),
    ("人社部", "人力资源社会保障部", "人力资源和社会保障部"),
    ("科协", "科学技术协会"),
    ("科技厅", "科学技术厅"),
    ("中科院", "中国科学院"),
    # the short forms of programmes and measures that officials say and reports spell out
    ("棚改", "棚户区改造", "棚户区住房改造"),
    ("技改", "技术改造"),
    ("低保", "最低生活保障"),
    ("新农合", "新型农村合作医疗"),
    ("新农保", "新型农村社会养老保险"),
    ("农技", "农业技术"),
    ("医改", "医药卫生体制改革"),
    ("公租房", "公共租赁住房"),
    ("廉租房", "廉租住房"),
    ("保障房", "保障性住房"),
    ("高铁", "高速铁路"),
    ("职教", "职业教育"),
    ("央行", "中国人民银行"),
)
TERM_FORMS: dict[str, tuple[str, ...]] = {form: group for group in _SAME_TERM for form in group}
# Chinese forms that are words of their own however jieba cuts the text around them (segment.py).
CHINESE_FORMS = tuple(sorted((f for f in TERM_FORMS if not f.isascii()), key=len, reverse=True))
# Forms to look for inside a longer word ("国企改革" → "国有企业改革"): two characters or more, longest
# first so that "新基建" is read before a shorter form it holds.
_INNER_FORMS = sorted((f for f in TERM_FORMS if len(f) >= 2), key=len, reverse=True)


@lru_cache(maxsize=65536)
def term_forms(key: str) -> tuple[str, ...]:
    """Every form of a word (a search key) that means the same: itself, and the word with its
    abbreviation spelled out or its long form abbreviated ("研发经费" → "研究与试验发展经费", …)."""
    if key in TERM_FORMS:
        return TERM_FORMS[key]
    for inner in _INNER_FORMS:
        if inner in key:
            return (key, *(key.replace(inner, other) for other in TERM_FORMS[inner] if other != inner))
    return (key,)


# Latin abbreviations are found in the text itself (not a longer Latin word: "GDPR"); Chinese forms only
# as the question's words, since "提高企业" holds "高企" without meaning it.
_ABBREVIATED = re.compile(
    "|".join(rf"(?<![a-z]){re.escape(g[0])}(?![a-z])" for g in _SAME_TERM if g[0].isascii()),
    re.IGNORECASE,
)


def indicators_named(text: str) -> list[str]:
    """The indicators ``text`` names by their Latin abbreviation ("M2", "PUE", "5G"), lower-cased."""
    return list(dict.fromkeys(m.group().lower() for m in _ABBREVIATED.finditer(text)))


def with_term_forms(text: str, words: tuple[str, ...] = ()) -> str:
    """``text`` with the other forms of each abbreviation or long form it uses added, for word search:
    "GDP增长" must find "国内生产总值增长". ``words`` are the question's words (search keys)."""
    extra = [f for m in _ABBREVIATED.finditer(text) for f in TERM_FORMS[m.group().lower()][1:]]
    extra += [f for w in words for f in term_forms(w) if f != w and f.lower() not in text.lower()]
    return " ".join([text, *dict.fromkeys(extra)]) if extra else text


def find_docnums(text: str) -> list[str]:
    """Canonical document numbers mentioned in ``text``, in order, without duplicates."""
    seen: dict[str, None] = {}
    for m in DOCNUM_RE.finditer(normalize_chars(text)):
        seen.setdefault(canonical_docnum(m), None)
    return list(seen)


def docnum_keys(text: str) -> list[str]:
    """Search-key forms of the document numbers in ``text``, with the issuer cut to its last two
    characters: a question's greedy prefix ("请问财建") must still match the text's "财建"."""
    keys = []
    for m in DOCNUM_RE.finditer(search_key(text)):
        key = f"{m['prefix'][-2:]}〔{m['year']}〕{m['serial']}号"
        if key not in keys:
            keys.append(key)
    return keys


_BAD_CHARS = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def bad_character(text: str) -> str | None:
    """Why ``text`` cannot be a question (a lone surrogate, NUL or another control character), or None."""
    if m := _BAD_CHARS.search(text):
        code = ord(m.group(0))
        what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        return f"text contains {what} (U+{code:04X}), which no question can hold"
    return None


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def display_width(text: str) -> float:
    """Width in Chinese-character cells: ASCII takes half a cell in typeset PDFs."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)
