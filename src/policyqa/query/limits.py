"""What a question may be: limits on its length, its characters, its history and the passages asked for.

Every entry point (the CLI, /api/ask, /api/search, the chat endpoint) reads a question through these, so a
client gets one clear InputError (HTTP 4xx, CLI exit 2) for the same bad input wherever it sends it.
"""

from __future__ import annotations

from ..errors import InputError
from ..settings import Settings
from ..text.normalize import bad_character
from .followup import user_turns


def checked_question(text: str, settings: Settings) -> str:
    """The question stripped, or an InputError: empty, a character no text holds, too long."""
    text = (text or "").strip()
    if not text:
        raise InputError("问题不能为空 (the question is empty)")
    if why := bad_character(text):
        raise InputError(f"问题含有非法字符 ({why})")
    if len(text) > settings.max_question_chars:
        raise InputError(
            f"问题过长：{len(text)} 字，上限 {settings.max_question_chars} 字 "
            f"(question too long: {len(text)} > {settings.max_question_chars} characters)"
        )
    return text


def checked_k(k: int | None, settings: Settings) -> int:
    """How many passages to show: the default when not given, else within 1..max_k."""
    k = settings.top_k if k is None else k
    if not 1 <= k <= settings.max_k:
        raise InputError(f"k 必须在 1 到 {settings.max_k} 之间 (k must be between 1 and {settings.max_k})")
    return k


def checked_history(history: list | None, settings: Settings) -> list[str]:
    """Earlier user turns within the limits: a follow-up needs the last turn, not a transcript."""
    turns = user_turns(history or [])
    for turn in turns:
        if why := bad_character(turn):
            raise InputError(f"对话历史含有非法字符 ({why})")
    s = settings
    if len(turns) > s.max_history_turns:
        raise InputError(
            f"对话历史过长：{len(turns)} 轮，上限 {s.max_history_turns} 轮 "
            f"(history has {len(turns)} turns; at most {s.max_history_turns})"
        )
    chars = sum(len(t) for t in turns)
    if chars > s.max_history_chars:
        raise InputError(
            f"对话历史过长：{chars} 字，上限 {s.max_history_chars} 字 "
            f"(history has {chars} characters; at most {s.max_history_chars})"
        )
    return turns
