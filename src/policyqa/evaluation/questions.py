"""Eval sets: one JSON object per line, any ids, any types, any size.

Required: ``id``, ``question``, ``answerable``. Optional: ``answers`` (gold strings, any one suffices),
``must_include`` (strings that must all appear), ``gold_docs``, ``history`` (earlier user turns),
``type`` (free text for the per-type tables), ``tags``, ``split`` ("dev"/"test"), ``near_miss``, ``note``;
other keys are kept out of the way. ``check_eval_set`` adds the checks every set gets: gold strings
present in the corpus (in a gold document when the question names them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..text.normalize import search_key

_WS_RE = re.compile(r"\s+")
_LIST_FIELDS = ("answers", "must_include", "gold_docs", "history", "tags")


def _forms(text: str) -> tuple[str, str]:
    return _WS_RE.sub("", text), search_key(text)


def _digit_at(text: str, i: int) -> bool:
    # isdecimal: 0-9 and full-width ５, not ① or ², which mark items and powers, not digits of a figure
    return 0 <= i < len(text) and text[i].isdecimal()


def _occurs(gold: str, text: str) -> bool:
    """``gold`` is in ``text`` as a whole figure: "5%左右" is not in "6.5%左右" (nor "6．5%左右"), nor "2018"
    in "20180". A figure may be followed by a dotted part ("2018" in "2018.12.31印发"): after a gold that
    ends in a digit, a point may start a date as well as decimals, and golds written with their unit
    ("2018年", "1312万人") are not affected."""
    lead, tail = _digit_at(gold, 0), _digit_at(gold, len(gold) - 1)
    at = text.find(gold) if gold else -1
    while at >= 0:
        end = at + len(gold)
        cut_before = lead and (
            _digit_at(text, at - 1) or (text[at - 1 : at] in (".", "．") and _digit_at(text, at - 2))
        )
        if not (cut_before or (tail and _digit_at(text, end))):
            return True
        at = text.find(gold, at + 1)
    return False


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    answerable: bool
    type: str = "other"
    gold_docs: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    must_include: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    split: str | None = None
    near_miss: str | None = None
    exclude_docs: list[str] = field(default_factory=list)  # asked with these documents left out

    def __post_init__(self):
        self._golds = [_forms(a) for a in self.answers if a.strip()]
        self._musts = [_forms(a) for a in self.must_include if a.strip()]

    @staticmethod
    def _found(forms: tuple[str, str], plain: str, key: str) -> bool:
        return _occurs(forms[0], plain) or _occurs(forms[1], key)

    def contains_gold(self, text: str) -> bool:
        """One of the gold strings is in ``text`` (whitespace removed, or compared as search keys)."""
        plain, key = _forms(text)
        return any(self._found(g, plain, key) for g in self._golds)

    def complete(self, text: str) -> bool:
        """``text`` holds a gold string and every string the answer must include."""
        plain, key = _forms(text)
        has_gold = any(self._found(g, plain, key) for g in self._golds) or not self._golds
        return has_gold and all(self._found(m, plain, key) for m in self._musts)

    def relevant(self, doc_id: str, text: str) -> bool:
        if self.gold_docs and doc_id not in self.gold_docs:
            return False
        return self.contains_gold(text) if self._golds else bool(self.gold_docs)


def _question(obj, where: str) -> Question:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object per line")
    missing = [k for k in ("id", "question", "answerable") if k not in obj]
    if missing:
        raise InputError(f"{where}: missing key(s) {', '.join(missing)}")
    lists = {name: obj.get(name) or [] for name in _LIST_FIELDS}
    for name, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}: {name!r} must be a list of strings")
    if not isinstance(obj["answerable"], bool):
        raise InputError(f"{where}: 'answerable' must be true or false")
    if not isinstance(obj["question"], str) or not obj["question"].strip():
        raise InputError(f"{where}: 'question' must be a non-empty string")
    if (
        obj["answerable"]
        and not any(a.strip() for a in lists["answers"] + lists["must_include"])
        and not lists["gold_docs"]
    ):
        raise InputError(f"{where}: answerable question {obj['id']!r} has neither answers nor gold_docs")
    split = obj.get("split")
    if split is not None and not isinstance(split, str):
        raise InputError(f"{where}: 'split' must be a string")
    return Question(
        str(obj["id"]), obj["question"].strip(), lists["answers"], obj["answerable"],
        str(obj.get("type") or "other"), lists["gold_docs"], lists["history"], lists["must_include"],
        lists["tags"], split, obj.get("near_miss"),
    )  # fmt: skip


def load_eval_set(path: Path, split: str | None = None) -> list[Question]:
    """Every question of the file (or of one ``split``), validated; errors name the file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"eval set not found: {path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc})") from exc
    questions: list[Question] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON ({exc.msg})") from exc
        q = _question(obj, where)
        if q.id in seen:
            raise InputError(f"{where}: duplicate id {q.id!r}")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise InputError(f"{path}: no questions in the eval set")
    if split is not None:
        questions = [q for q in questions if q.split == split]
        if not questions:
            raise InputError(f"{path}: no questions in split {split!r}")
    return questions


def near_misses(questions: list[Question]) -> list[Question]:
    """Every answerable question with gold documents, asked with them left out: now unanswerable."""
    return [
        Question(
            f"{q.id}:miss",
            q.question,
            [],
            False,
            q.type,
            [],
            q.history,
            tags=q.tags,
            split=q.split,
            near_miss="gold document removed",
            exclude_docs=list(q.gold_docs),
        )  # fmt: skip
        for q in questions
        if q.answerable and q.gold_docs
    ]


def check_eval_set(path: Path, documents: dict[str, str] | None = None) -> list[str]:
    """Problems every eval set is checked for (beyond what loading refuses): with ``documents`` (doc id →
    text as indexed), gold strings must occur in a gold document, or anywhere when none is named, and
    gold documents must exist. Returns one line per problem; empty when the set is sound."""
    questions = load_eval_set(path)
    problems = []
    keys = {doc_id: _forms(text) for doc_id, text in (documents or {}).items()}
    for q in questions:
        if q.answerable is False and (q.answers or q.must_include):
            problems.append(f"{q.id}: unanswerable but has gold strings")
        if not keys:
            continue
        missing_docs = [d for d in q.gold_docs if d not in keys]
        if missing_docs:
            problems.append(f"{q.id}: gold document(s) not in the corpus: {', '.join(missing_docs)}")
        where = [keys[d] for d in q.gold_docs if d in keys] or list(keys.values())
        for gold in q.answers:
            if not any(Question._found(_forms(gold), plain, key) for plain, key in where):
                problems.append(
                    f"{q.id}: gold string not found in {'its gold documents' if q.gold_docs else 'the corpus'}: {gold[:40]!r}"
                )
        for must in q.must_include:
            if not any(Question._found(_forms(must), plain, key) for plain, key in where):
                problems.append(f"{q.id}: must_include string not found: {must[:40]!r}")
    return problems
