"""Words for officials: how well an answer is supported, instead of a bare confidence number."""

from __future__ import annotations

STRONG = {"level": "strong", "words": "依据充分", "hint": "引文覆盖了问题的要点"}
LIMITED = {"level": "limited", "words": "依据有限", "hint": "引文只覆盖了问题的部分要点，请对照原文核实"}
NONE = {"level": "none", "words": "未找到依据", "hint": "资料中没有找到足以回答的内容"}


def confidence_words(confidence: float, abstained: bool, strong: float) -> dict:
    """{"level", "words", "hint", "confidence"}: the page shows the words and the number on hover."""
    chosen = NONE if abstained else STRONG if confidence >= strong else LIMITED
    return {**chosen, "confidence": round(float(confidence), 3)}
