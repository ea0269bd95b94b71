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


# Statistical terms officials abbreviate and documents spell out (or the other way round): a question
# about "GDP" is answered by "国内生产总值增长9.1%". Search-key forms; each maps to all of its forms.
_SAME_TERM = (
    ("gdp", "国内生产总值"),
    ("cpi", "居民消费价格"),
    ("ppi", "工业生产者出厂价格"),
    ("pmi", "采购经理指数"),
)
TERM_FORMS: dict[str, tuple[str, ...]] = {form: group for group in _SAME_TERM for form in group}


def term_forms(key: str) -> tuple[str, ...]:
    """Every form of a term (a search key) that means the same: itself, and its spelled-out or
    abbreviated form."""
    return TERM_FORMS.get(key, (key,))


_ABBREVIATED = re.compile(
    "|".join(rf"(?<![a-z]){re.escape(g[0])}(?![a-z])" for g in _SAME_TERM), re.IGNORECASE
)


def with_term_forms(text: str) -> str:
    """``text`` with the spelled-out form of each abbreviation it uses added, for word search: "GDP增长"
    must find "国内生产总值增长"."""
    extra = [f for m in _ABBREVIATED.finditer(text) for f in TERM_FORMS[m.group().lower()][1:]]
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
