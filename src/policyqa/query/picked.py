"""A sentence an answer may quote: its span in a retrieved passage, how it scored, the years it speaks of.
The composer makes them (compose.py), the answer check reads them (verify.py), and the quotes are widened
(widen.py) and compared side by side (comparison.py) as them."""

from __future__ import annotations

from dataclasses import dataclass

from .retrieve import Hit


@dataclass
class Picked:
    hit: Hit
    start: int  # the sentence's span inside the passage
    end: int
    score: float
    years: frozenset[int]  # the years the sentence speaks of (relative years resolved)
    dense: float = 0.0  # the sentence's cosine to the question
    order: int = 1  # the passage's place among those with a sentence about the asked years (its rank
    # when no year is asked): passages about other years say nothing about how likely this one is
    reads: str = ""  # what the sentence says in its document, when more than its words (Composer.reads)

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]

    @property
    def doc_id(self) -> str:
        return self.hit.chunk.doc_id

    @property
    def at(self) -> int:
        """Where the sentence starts in its document."""
        return self.hit.chunk.start + self.start
