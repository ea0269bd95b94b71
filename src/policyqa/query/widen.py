"""Quotes widened after the answer check, which was trained and calibrated on the clauses themselves: a
clause ending in "；" to its sentence's end, an enumeration's lead with its items, a body's lead before an
item that names none. The quotes stay the document's own characters at their offsets."""

from __future__ import annotations

from dataclasses import replace

from .analysis import QueryAnalysis
from .asking import NAMES_BODY
from .params import SENTENCES
from .picked import Picked
from .retrieve import Hit
from .scope import ScopeIndex
from .sentences import SENTENCE_END, enumeration_end


def whole_sentences(analysis: QueryAnalysis, chosen: list[Picked], scopes: ScopeIndex) -> list[Picked]:
    """The chosen clauses, each quoted to the end of its sentence when it ends in "；" and the
    question asks for no figure: "由有关主管部门责令限期归还；" is half of the penalty asked for, while
    "国内生产总值增长5%左右；" is the whole of the target. A sentence opening an enumeration is quoted
    with its items when the question asks which ones. Clauses the longer quote takes in go. Asked
    which body, an item that names none is quoted after its lead when the passage holds it ("市科学技术
    行政部门履行下列职责：" … "（三）负责管理技术合同的认定登记工作；"): the lead names the body."""
    if analysis.mode == "compare":
        return chosen
    out: list[Picked] = []
    for c in chosen:
        if any(o.doc_id == c.doc_id and o.at <= c.at < o.at + o.end - o.start for o in out):
            continue
        text = c.hit.chunk.text
        lead = c.reads[: -len(c.text)] if analysis.body and c.reads.endswith(c.text) else ""
        if NAMES_BODY.search(c.text) or not NAMES_BODY.search(lead):
            lead = ""  # "人社厅出台了…；" names its body; "各厅局…例如：" adds nothing to it
        at = text.rfind(lead, 0, c.start) if lead else -1
        if at >= 0 and not any(o.hit is c.hit and o.start == at for o in out):
            out.append(replace(c, start=at, end=at + len(lead), reads=""))
        if analysis.which and (items := with_items(c, scopes)) is not None:
            c = items  # the enumeration with its items; the items chosen alone go
        elif analysis.figure is None and text[c.start : c.end].rstrip().endswith(("；", ";")):
            stop = SENTENCE_END.search(text, c.end)
            end = stop.end() if stop else len(text)
            while end > c.end and text[end - 1].isspace():  # a line break ends it, unquoted
                end -= 1
            if end - c.start <= SENTENCES.whole_sentence_chars:
                c = replace(c, end=end)
        out.append(c)
    # A passage read on for a list's items is the one its other quotes cite too (same start, so
    # their offsets hold).
    longest: dict[str, Hit] = {}
    for o in out:
        kept = longest.setdefault(o.hit.chunk.chunk_id, o.hit)
        if len(o.hit.chunk.text) > len(kept.chunk.text):
            longest[o.hit.chunk.chunk_id] = o.hit
    return [replace(o, hit=longest[o.hit.chunk.chunk_id]) for o in out]


def with_items(c: Picked, scopes: ScopeIndex) -> Picked | None:
    """The sentence with the items of the enumeration it opens, or None when it opens none. A list
    may run on past the passage ("专栏2：前瞻性技术" … "8.基因组编辑技术。" ends one passage and
    "11.生物4D打印技术。" is in the next): it is read on in the document, and the passage quoted is
    widened to the list's end (still the document's own characters at their offsets)."""
    chunk = c.hit.chunk
    document = scopes.text(chunk.doc_id)
    if document[chunk.start : chunk.end] != chunk.text:  # an index without document texts
        stop = enumeration_end(chunk.text, c.start, c.end)
        return None if stop is None else replace(c, end=stop)
    stop = enumeration_end(document, chunk.start + c.start, chunk.start + c.end)
    if stop is None:
        return None
    if stop > chunk.end:
        chunk = replace(chunk, text=document[chunk.start : stop], end=stop)
        c = replace(c, hit=replace(c.hit, chunk=chunk))
    return replace(c, end=stop - chunk.start)
