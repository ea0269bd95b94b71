"""The live engine of a serving process, replaced when the store names a new live version.

A request takes the engine once and finishes on it: the swap is one reference assignment, so a request
that started on the old version never sees half of the new one. A new version that fails to load leaves
the running engine in place and says why (``last_error``); a store that stops answering is reported as
such (``unavailable``), whatever is loaded.
"""

from __future__ import annotations

import logging
import threading

from ..errors import PolicyQAError, StoreUnavailableError
from ..index.backends import open_store
from ..models.embed import Embedder, load_embedder
from ..settings import Settings
from .engine import Engine

log = logging.getLogger(__name__)


class EngineHolder:
    """Holds the live engine and replaces it when the store names a new live version (index/CURRENT, or
    the Milvus alias that every replica watches)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.store = open_store(settings)
        self._embedder = embedder
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None
        self.unavailable: str | None = None  # the store stopped answering: not ready, whatever is loaded

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            embedder = load_embedder(self.settings)
            embedder.serving_only()  # its own embedder, in a serving process: only questions come
            self._embedder = embedder
        return self._embedder

    def get(self) -> Engine:
        """The live engine, loading it on first use; raises a PolicyQAError when it cannot be loaded."""
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    try:
                        self._engine = Engine.load(self.settings, self.embedder, self.store)
                    except PolicyQAError as exc:
                        self.last_error = str(exc)
                        raise
                    self.last_error = None
                engine = self._engine
        return engine

    def refresh(self) -> bool:
        """Load the store's live version if it differs from the loaded one; True when swapped."""
        try:
            version = self.store.current_version()
        except StoreUnavailableError as exc:
            self.unavailable = str(exc)
            raise
        self.unavailable = None
        if version is None or (self._engine is not None and self._engine.version == version):
            return False
        try:
            fresh = Engine.load(self.settings, self.embedder, self.store)
        except Exception as exc:  # a bad new version must not take the running service down
            self.last_error = f"index version {version} not loaded: {exc}"
            log.warning("%s", self.last_error)
            return False
        self._engine = fresh  # a single reference assignment: in-flight requests keep the old engine
        self.last_error = None
        return True
