"""The thing a figure question counts or measures ("发放了多少科技贷款" → 贷款), read once
(``QueryAnalysis.subject``): the answer check wants it written beside the figure quoted.
"""

from __future__ import annotations

import re

from ..text.segment import tagged
from .figures import MEASURES, UNITS

_AFTER = re.compile(rf"(?:多少|几)[{MEASURES}]?([\u4e00-\u9fff]{{2,10}}?)(?:[？?，。！]|$)")
_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:是|有|为|达到?|约|共|一共|总共)?(?:多少|多大|几)")


# Words that say which figure of a thing is asked (its target, its size, the result), not the thing:
# "粮食产量目标是多少" measures 产量, and a list of other targets says 目标 as well.
FIGURE_ROLES = tuple(
    "目标 预期 规模 总量 总额 数额 数量 总共 一共 实际 最终 结果 要求 具体 大概 大约 分别 相比 相差".split()
)


# A unit, with its classifier or multiplier ("亿元", "万吨", "个小时"): what a figure is written in.
_UNIT_WORD = re.compile(rf"[{MEASURES}]?[千万亿]*(?:元|{UNITS}|个月|分钟)$|[千万亿]+$")


def is_unit(word: str) -> bool:
    """``word`` is a unit a question may take for what it asks ("多少亿元", "多少个小时"): every figure of
    that kind is written in it, so it tells none apart."""
    return _UNIT_WORD.match(word) is not None


def figure_subject(text: str) -> str | None:
    """The thing a figure question counts or measures ("发放了多少科技贷款" → "贷款", "粮食产量目标是
    多少" → "产量"); asked with a unit after "多少", the thing before it ("安排地方专项债券多少亿元" →
    "债券")."""
    for m in (_AFTER.search(text), _BEFORE.search(text)):
        cut = list(tagged(m.group(1))) if m else []
        said = [(w, i) for i, (w, _) in enumerate(cut) if len(w) >= 2 and w not in FIGURE_ROLES]
        # (a verb of change alone, "GDP增长目标是多少", still says which figure of the thing is asked)
        found = [w for w, i in said if _names_thing(cut, i)] or [w for w, _ in said]
        if found and not is_unit(found[-1]):
            return found[-1]
    return None


# Words around a figure that name no thing measured: how it is reached or planned ("要做到多大", "打算
# 安排多少" ask the size of what comes before), numbers and pronouns ("每年", "百分之"), adverbs ("最少",
# "至少"), places in time or order ("以内", "最后").
_NO_THING = frozenset("m r d f ul uj u p c t tg i q".split())
_REACHING = re.compile(r"[^不]到$|^(?:打算|准备|应当|争取|能|要|最多能|最多|起来|出来|下来)$")
_SETTING = frozenset("安排 完成 实现 达到 保持 控制 新增".split())
# A change asked as the level reached ("投入要提高到多少") asks the level of the thing before it; asked
# as the change ("经济增长目标是多少"), the change is the figure.
_MOVING = frozenset("增长 提高 提升 上调 上涨 增加 扩大 下降 降低 减少 回落".split())


def _names_thing(cut: list[tuple[str, str]], i: int) -> bool:
    word, tag = cut[i]
    reached = i + 1 < len(cut) and cut[i + 1][0] in ("到", "至")
    return (
        tag not in _NO_THING
        and not _REACHING.search(word)
        and word not in _SETTING
        and not (reached and word in _MOVING)
    )
