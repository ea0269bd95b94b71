"""Feedback on answers, kept durably in one SQLite file beside the index (WAL mode, full sync).

One row per answer the page showed: the page gives every answer a random id, and rating it again (👍 then
👎, or adding a correction) replaces that row, so an answer is counted once. The row keeps what an
evaluator needs to turn it into an eval question: the question, the earlier turns, the answer, its
citations and the index version that produced it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import PolicyQAError

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    confidence REAL,
    citations TEXT NOT NULL,
    index_version TEXT,
    comment TEXT NOT NULL DEFAULT '',
    correction TEXT NOT NULL DEFAULT '',
    should_refuse INTEGER NOT NULL DEFAULT 0,
    key_id TEXT
);
CREATE INDEX IF NOT EXISTS feedback_updated ON feedback (updated);
"""
_COLUMNS = (
    "id", "created", "updated", "rating", "question", "history", "answer", "abstained", "confidence",
    "citations", "index_version", "comment", "correction", "should_refuse", "key_id",
)  # fmt: skip


class FeedbackError(PolicyQAError):
    """The feedback database cannot be opened or written."""

    http_status = 503


@dataclass
class Feedback:
    id: str
    rating: int  # 1 = 👍, -1 = 👎
    question: str
    answer: str
    history: list[str] = field(default_factory=list)
    abstained: bool = False
    confidence: float | None = None
    citations: list[dict] = field(default_factory=list)  # n, doc_id, title, section, quote, offsets
    index_version: str | None = None
    comment: str = ""
    correction: str = ""  # the right answer, in the official's words or copied from the document
    should_refuse: bool = False  # the official says the documents do not answer this
    key_id: str | None = None
    created: str = ""
    updated: str = ""

    @property
    def day(self) -> str:
        return (self.updated or self.created)[:10]

    def to_dict(self) -> dict:
        return asdict(self)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False
        self._lock = threading.Lock()

    @contextmanager
    def _connect(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=10)) as db:
                db.execute("PRAGMA synchronous = FULL")  # a rating acknowledged is a rating kept
                if not self._ready:
                    with self._lock:
                        db.execute("PRAGMA journal_mode = WAL")  # readers (export) never block the service
                        db.executescript(_SCHEMA)
                        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                        self._ready = True
                with db:  # one transaction, committed on success
                    yield db
        except sqlite3.Error as exc:
            raise FeedbackError(f"反馈数据库不可用 (feedback database {self.path}: {exc})") from exc

    def save(self, item: Feedback) -> Feedback:
        """Insert, or replace the earlier rating of the same answer (keeping when it was first rated)."""
        now = _now()
        with self._connect() as db:
            row = db.execute("SELECT created FROM feedback WHERE id = ?", (item.id,)).fetchone()
            item.created = row[0] if row else now
            item.updated = now
            values = {
                **item.to_dict(),
                "history": json.dumps(item.history, ensure_ascii=False),
                "citations": json.dumps(item.citations, ensure_ascii=False),
                "abstained": int(item.abstained),
                "should_refuse": int(item.should_refuse),
            }
            db.execute(
                f"INSERT OR REPLACE INTO feedback ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
                [values[c] for c in _COLUMNS],
            )
        return item

    def all(self, since: str | None = None) -> list[Feedback]:
        """Every rating, oldest first; ``since`` (YYYY-MM-DD) keeps those rated that day or later."""
        if not self.path.exists():
            return []
        query = f"SELECT {', '.join(_COLUMNS)} FROM feedback"
        args: tuple = ()
        if since:
            query, args = query + " WHERE updated >= ?", (since,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY updated, id", args).fetchall()
        return [self._item(dict(zip(_COLUMNS, r))) for r in rows]

    def get(self, ident: str) -> Feedback | None:
        with self._connect() as db:
            row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM feedback WHERE id = ?", (ident,)).fetchone()
        return self._item(dict(zip(_COLUMNS, row))) if row else None

    @staticmethod
    def _item(row: dict) -> Feedback:
        row["history"] = json.loads(row["history"])
        row["citations"] = json.loads(row["citations"])
        row["abstained"] = bool(row["abstained"])
        row["should_refuse"] = bool(row["should_refuse"])
        return Feedback(**row)
