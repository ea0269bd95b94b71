"""Hard constraints a question puts on its answer: the places and years it names, and the kind of
figure it asks for ("多少户" needs a count of households, "占比" a percentage, "面积" an area).

Retrieval scores cannot tell "the passage is about this topic" from "the passage answers this";
these checks can, and they generalise across documents because they only read the question's form
(parsed once, in ``QueryAnalysis``).
"""

from __future__ import annotations

from ..text.normalize import search_key
from .analysis import QueryAnalysis


def violations(analysis: QueryAnalysis, evidence_key: str, quote_text: str) -> list[str]:
    """Reasons the evidence cannot answer the question (empty when none is found).

    ``evidence_key`` is the search key of the passages the answer quotes plus their documents'
    title and metadata; ``quote_text`` is what the answer would quote.
    """
    reasons = []
    # Years and places are kept by the scope (a year satisfied by the document's metadata or by a
    # relative year such as 去年 counts); only a place that is in no evidence at all is a reason here.
    for place in analysis.places:
        if search_key(place) not in evidence_key:
            reasons.append(f"资料未涉及“{place}”")
    if analysis.figure is not None and not analysis.figure.shows.search(search_key(quote_text)):
        reasons.append("引文中没有所问的数据")
    return reasons
