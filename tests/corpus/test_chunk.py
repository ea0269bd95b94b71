"""Chunker properties (hypothesis) and behaviour on the demo document."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyqa.corpus.chunk import chunk_document
from policyqa.corpus.ingest import make_document

SENTENCE = st.builds(
    lambda body, end: body + end,
    st.text(
        alphabet="科技创新政策企业基金园区试验发展改革项目亿元家个年月日12345.%《》“”、，（）abc ",
        min_size=1,
        max_size=90,
    ),
    st.sampled_from(["。", "！", "？", "；", "", "，"]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=8).map("".join)
SECTION = st.tuples(
    st.sampled_from(["一、", "二、", "三、", "（一）", "（二）", "第一章 ", "第二章 "]),
    st.text("总则目标任务保障", min_size=1, max_size=8),
    st.lists(PARAGRAPH, min_size=1, max_size=4),
)


def build_raw(sections):
    lines = []
    for number, name, paragraphs in sections:
        lines.append(number + name)
        lines.extend(p for p in paragraphs if p.strip())
    return "\n\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SECTION, min_size=1, max_size=5), st.sampled_from([(120, 20), (300, 60), (60, 0)]))
def test_chunk_properties(sections, sizes):
    size, overlap = sizes
    doc = make_document("d", build_raw(sections), "d.txt")
    chunks = chunk_document(doc, size, overlap)
    covered = [False] * len(doc.text)
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text  # offsets reproduce the text
        assert len(c.text) <= size  # never over the maximum
        block_sections = {
            b.section
            for b in doc.blocks
            if b.kind in ("para", "caption") and b.start < c.end and c.start < b.end
        }
        assert block_sections == {tuple(c.section)}  # never across a section
        for i in range(c.start, c.end):
            covered[i] = True
    for b in doc.blocks:
        if b.kind == "para":
            missing = [
                doc.text[i] for i in range(b.start, b.end) if not covered[i] and not doc.text[i].isspace()
            ]
            assert not missing, f"uncovered characters {''.join(missing)[:20]!r}"


def test_demo_chunks_end_on_sentence_boundaries(demo_doc):
    chunks = chunk_document(demo_doc, 300, 60)
    assert chunks
    ends = [c.text[-1] for c in chunks if c.kind == "text"]
    # Nearly every chunk ends a sentence or clause; none splits inside a document number.
    assert sum(e in "。！？；，）》”" for e in ends) >= len(ends) - 1
    assert all(not re.search(r"〔\d*$", c.text) for c in chunks)


def test_chunk_overlap_repeats_whole_sentences(demo_doc):
    chunks = [c for c in chunk_document(demo_doc, 120, 40) if c.kind == "text"]
    pairs = [(a, b) for a, b in zip(chunks, chunks[1:]) if a.section == b.section and b.start < a.end]
    assert pairs, "expected overlapping neighbours"
    for a, b in pairs:
        shared = demo_doc.text[b.start : a.end]
        assert shared and shared[-1] in "。！？；，、"


def test_context_carries_section_and_the_texts_own_title(demo_doc):
    c = next(c for c in chunk_document(demo_doc) if "1746亿元" in c.text)
    # The demo's title comes from its sidecar: shown and searched by BM25, never embedded.
    assert demo_doc.metadata_sources["title"] == "sidecar" and demo_doc.title not in c.context
    assert c.lexical_context.startswith(demo_doc.title)
    assert c.context.startswith("二、新疆创新试验区建设 > （二）试验区建设重大进展") and c.context.endswith(
        c.text
    )
    again = [x.chunk_id for x in chunk_document(demo_doc)]
    assert [x.chunk_id for x in chunk_document(demo_doc)] == again and len(set(again)) == len(again)


def test_captions_become_their_own_chunks(demo_doc):
    chunks = chunk_document(demo_doc)
    captions = [c for c in chunks if c.kind == "caption"]
    assert any("石河子高新区鸟瞰图" in c.text for c in captions)
    assert not any("鸟瞰图" in c.text for c in chunks if c.kind == "text")
