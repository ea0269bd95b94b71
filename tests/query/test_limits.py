"""What a question may be: the same clear InputError for the same bad input at every entry point."""

import pytest

from policyqa.errors import InputError
from policyqa.query.limits import checked_history, checked_k, checked_question
from policyqa.settings import Settings

TIGHT = Settings(max_question_chars=10, max_history_turns=2, max_history_chars=12, top_k=4, max_k=8)


def test_a_question_is_stripped_and_must_be_short_and_clean():
    assert checked_question("  科普法何时施行？\n", TIGHT) == "科普法何时施行？"
    for bad, says in [("", "为空"), ("   ", "为空"), ("一" * 11, "11 字"), ("科普\ud800法", "非法字符")]:
        with pytest.raises(InputError, match=says):
            checked_question(bad, TIGHT)
    assert checked_question("一" * 10, TIGHT) == "一" * 10  # the limit itself is allowed


def test_k_defaults_and_stays_within_bounds():
    assert checked_k(None, TIGHT) == 4 and checked_k(1, TIGHT) == 1 and checked_k(8, TIGHT) == 8
    for bad in (0, -1, 9):
        with pytest.raises(InputError, match="1 到 8"):
            checked_k(bad, TIGHT)


def test_history_keeps_user_turns_within_the_limits():
    history = [{"role": "user", "content": "科普法"}, {"role": "assistant", "content": "答" * 50}]
    assert checked_history(history, TIGHT) == ["科普法"]  # the assistant's long reply does not count
    assert checked_history(None, TIGHT) == []
    with pytest.raises(InputError, match="3 轮"):
        checked_history(["一", "二", "三"], TIGHT)
    with pytest.raises(InputError, match="13 字"):
        checked_history(["一" * 6, "二" * 7], TIGHT)
    with pytest.raises(InputError, match="非法字符"):
        checked_history(["\ud800"], TIGHT)
