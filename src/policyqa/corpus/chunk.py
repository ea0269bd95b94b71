"""Split cleaned documents into passages that never cross a section and know their exact offsets."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .ingest import Document

# Paragraph, then sentence ends, then clause breaks; the empty separator is the last resort for a
# sentence longer than the chunk size (cut by characters rather than exceed the maximum).
SEPARATORS = ["\n", "。", "！", "？", "；", "!", "?", ";", "，", "、", ",", " ", ""]


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    section: list[str]
    text: str  # shown to users; == document.text[start:end]
    start: int
    end: int
    kind: str = "text"  # "text" | "caption"
    text_title: str = ""  # the title as the document's text gives it (a sidecar's title is not embedded)

    @property
    def context(self) -> str:
        """What gets embedded: the title and section path give a passage its meaning. The title is the
        one the text itself gives, so a metadata edit (a sidecar's title) never changes a vector."""
        path = " > ".join(self.section)
        return "\n".join(part for part in (self.text_title, path, self.text) if part)

    @property
    def lexical_context(self) -> str:
        """What BM25 indexes: the displayed title (metadata included; BM25 is rebuilt every build anyway)."""
        path = " > ".join(self.section)
        return "\n".join(part for part in (self.title, path, self.text) if part)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def make_splitter(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        keep_separator="end",  # "。" belongs to the sentence it ends
        chunk_size=size,
        chunk_overlap=overlap,
        length_function=len,
        strip_whitespace=True,
    )


def _units(doc: Document) -> list[tuple[tuple[str, ...], str, int, int]]:
    """Runs of consecutive blocks of one kind in one section: (section, kind, start, end).

    A heading always ends a run, even when the next section repeats the same heading text.
    """
    units: list[tuple[tuple[str, ...], str, int, int]] = []
    joinable = False
    for block in doc.blocks:
        if block.kind not in ("para", "caption"):
            joinable = False
            continue
        kind = "text" if block.kind == "para" else "caption"
        if joinable and units[-1][0] == block.section and units[-1][1] == kind:
            section, _, start, _ = units[-1]
            units[-1] = (section, kind, start, block.end)
        else:
            units.append((block.section, kind, block.start, block.end))
        joinable = True
    return units


def chunk_document(doc: Document, size: int = 300, overlap: int = 60) -> list[Chunk]:
    splitter = make_splitter(size, overlap)
    chunks: list[Chunk] = []
    for section, kind, start, end in _units(doc):
        unit = doc.text[start:end]
        cursor = 0
        for piece in splitter.split_text(unit):
            # Pieces come in order and overlap the previous one by at most `overlap` characters, so the
            # next one starts no earlier than that: repeated sentences cannot pull it back to an
            # earlier copy of itself.
            found = unit.find(piece, cursor)
            if found < 0:  # cannot happen with strip-only splitting; guard the offset invariant anyway
                raise AssertionError(f"chunk not found in {doc.doc_id}: {piece[:30]!r}")
            cursor = max(found + 1, found + len(piece) - overlap)
            abs_start = start + found
            digest = hashlib.sha1(f"{doc.doc_id}\x1f{abs_start}\x1f{piece}".encode()).hexdigest()[:16]
            chunks.append(
                Chunk(
                    digest,
                    doc.doc_id,
                    doc.title,
                    list(section),
                    piece,
                    abs_start,
                    abs_start + len(piece),
                    kind,
                    doc.text_title,
                )
            )
    return chunks


def chunk_corpus(docs: list[Document], size: int = 300, overlap: int = 60) -> list[Chunk]:
    return [c for doc in docs for c in chunk_document(doc, size, overlap)]
