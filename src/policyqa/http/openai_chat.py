"""OpenAI-compatible chat completions: request model, full response and SSE stream.

Chat clients show only the message text, so the text carries the [n] markers and a reference list;
clients that know policyqa read the structured ``citations`` array next to ``choices``. Clients render
that text as Markdown, so document text in it is neutralised (no HTML, no link syntax); the structured
citations keep it verbatim.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..query.answer import Answer
from .schemas import CleanText

MODEL_NAME = "policyqa"
_MARKER = re.compile(r"\\\[(\d+)\\\]")


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")  # image_url … parts are accepted and ignored

    type: CleanText = "text"
    text: CleanText | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: CleanText
    content: CleanText | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # [{"type": "text", "text": ...}, ...]
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p … are accepted and ignored

    model: CleanText = MODEL_NAME
    messages: list[ChatMessage] = Field(..., min_length=1)
    stream: bool = False
    # policyqa's own field (OpenAI clients send it as extra_body): narrow to documents, as /api/ask does.
    filters: dict[str, Any] | None = None

    def _user(self) -> list[str]:
        return [m.text() for m in self.messages if m.role == "user" and m.text().strip()]

    def question(self) -> str:
        users = self._user()
        return users[-1] if users else ""

    def history(self) -> list[str]:
        return self._user()[:-1]


def markdown_safe(text: str) -> str:
    """Document text as inert Markdown: HTML escaped, link and image brackets escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("[", "\\[").replace("]", "\\]")


def render(answer: Answer) -> str:
    # Our own [n] markers survive the escaping; everything else from documents is inert.
    lines = [_MARKER.sub(r"[\1]", markdown_safe(answer.answer)), ""]
    cited = answer.citations or answer.related
    if cited:
        lines.append("参考资料：" if answer.citations else "可能相关的段落：")
        for c in cited:
            path = " › ".join(c.section)
            place = markdown_safe(
                f"{c.title}{' › ' + path if path else ''}（{c.doc_id}，第{c.start}–{c.end}字）"
            )
            lines.append(f"[{c.n}] {place}")
    return "\n".join(lines).strip()


def _structured(answer: Answer, extra: dict | None) -> dict:
    # policyqa's own fields next to the OpenAI ones (clients ignore them; the page renders from them):
    # the answer text without the reference list, and what the /api/ask response carries.
    return {
        "citations": [asdict(c) for c in answer.citations],
        "related": [asdict(c) for c in answer.related],
        "abstained": answer.abstained,
        "answer": answer.answer,
        "confidence": answer.confidence,
        "query": answer.query,
        "timing_ms": answer.timing_ms,
        **(extra or {}),
    }


def chat_completion(request: ChatRequest, answer: Answer, extra: dict | None = None) -> dict:
    content = render(answer)
    prompt_chars = sum(len(m.text()) for m in request.messages)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model or MODEL_NAME,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        # Characters stand in for tokens: there is no generative model to count tokens with.
        "usage": {
            "prompt_tokens": prompt_chars,
            "completion_tokens": len(content),
            "total_tokens": prompt_chars + len(content),
        },
        **_structured(answer, extra),
    }


def chat_stream(
    request: ChatRequest, answer: Answer, extra: dict | None = None, piece: int = 24
) -> Iterator[str]:
    ident, created, model = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), request.model or MODEL_NAME

    def event(delta: dict, finish: str | None = None, **extra) -> str:
        body = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    content = render(answer)
    for i in range(0, len(content), piece):
        yield event({"content": content[i : i + piece]})
    yield event({}, "stop", **_structured(answer, extra))
    yield "data: [DONE]\n\n"
