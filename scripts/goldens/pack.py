#!/usr/bin/env python3
"""Packs golden JSON (as written by golden.py) into the compact fixtures the tests read.

    pack.py GOLDEN_JSON_DIR OUT_DIR     # every <clip>.json and intermediates.json -> OUT_DIR/<name>.bin.gz
    pack.py --extended JSON_DIR OUT_DIR # golden.py --extended's <clip>.json -> OUT_DIR/<clip>.bin.gz

Only the fields the tests compare are kept (KEEP_CLIP / KEEP_INTERMEDIATES); numeric arrays are
stored as little-endian binary, float32 when every value is exactly float32-representable (librosa
computes mfcc/chroma/mel, |STFT|, the filter banks, HPSS, the CQT ... in float32) and float64
otherwise (vector166, contrast, tonnetz, the window, DCT matrix, frequencies), so a loaded value
is the very number the JSON held. Layout of a .bin.gz (gzip of):

    b"SERGOLD1" | uint32 LE header length | header (UTF-8 JSON) | zero padding to 8 bytes | payload

The header is the JSON object with each array replaced by
{"$array": "f32"|"f64", "shape": [n] | [rows, cols], "offset": byte offset into the payload};
the array's bytes there are shuffled into planes: all byte 0s of its little-endian values, then all
byte 1s, and so on (as blosc's shuffle filter; gzip then stores them ~12% smaller).
tests/helpers/golden.ts (readGolden) reads it back into the same plain number[] / number[][].
"""
from __future__ import annotations

import gzip
import json
import os
import struct
import sys

import numpy as np

MAGIC = b"SERGOLD1"

# what the tests read (see tests/helpers/golden.ts GoldenClip, tests/core/dsp/intermediates.ts)
KEEP_CLIP = {
    "file": True, "sha256": True, "sr": True, "n_samples": True, "n_frames": True,
    "vector166": True, "blocks": True, "tuning": True, "versions": True,
}
KEEP_INTERMEDIATES = {
    "file": True, "sr": True, "n_samples": True,
    "hann_window_periodic_2048": True,
    "stft": {"n_frames": True, "magnitude": True},
    "mel_filterbank": {"mel_edges_hz": True, "matrix": True},
    "mel_power": True,
    "log_mel_db": {"matrix": True},
    "dct2_ortho": {"matrix_first13": True},
    "chroma_stft": True,
    "spectral_contrast": {"band_edges_hz": True},
    "hpss_harmonic_signal": True,
    "cqt": {"tuning_estimated": True, "frequencies_hz": True, "magnitude": True, "cq_to_chroma": True},
    "chroma_cqt": True,
    "tonnetz": {"phi": True, "matrix": True},
    "soxr_hq_half_of_harmonic": {"n": True, "signal": True},
    "versions": True,
}

# golden.py --extended (the extended preset's blocks: rms, zcr, centroid, bandwidth, rolloff, flatness, mfcc_delta)
KEEP_EXTENDED = {"file": True, "sha256": True, "sr": True, "n_samples": True, "n_frames": True, "blocks": True, "versions": True}


def select(obj, keep):
    if keep is True:
        return obj
    return {k: select(obj[k], sub) for k, sub in keep.items()}


def is_numeric_array(x):
    if not isinstance(x, list) or not x:
        return False
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in x):
        return True
    return all(isinstance(r, list) and r and all(isinstance(v, (int, float)) for v in r) for r in x)


def pack(obj) -> bytes:
    chunks: list[bytes] = []
    size = 0

    def walk(x):
        nonlocal size
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        if is_numeric_array(x):
            a = np.asarray(x, dtype=np.float64)
            if a.ndim not in (1, 2):
                raise ValueError(f"ragged or >2-D array of shape {a.shape}")
            f32 = a.astype(np.float32)
            exact = bool(np.array_equal(f32.astype(np.float64), a))
            le = (f32 if exact else a).astype("<f4" if exact else "<f8")
            # byte planes (all first bytes, then all second bytes, ...): gzip packs them ~12% smaller
            data = le.reshape(-1).view(np.uint8).reshape(-1, le.itemsize).T.tobytes()
            node = {"$array": "f32" if exact else "f64", "shape": list(a.shape), "offset": size}
            pad = (-len(data)) % 8
            chunks.append(data + b"\0" * pad)
            size += len(data) + pad
            return node
        return x

    header = json.dumps(walk(obj), separators=(",", ":")).encode("utf-8")
    head = MAGIC + struct.pack("<I", len(header)) + header
    head += b"\0" * ((-len(head)) % 8)
    # mtime=0: the same goldens give the same bytes
    return gzip.compress(head + b"".join(chunks), compresslevel=9, mtime=0)


def main():
    extended = "--extended" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--extended"]
    if len(args) != 2:
        print(__doc__)
        sys.exit(2)
    src, out = args
    os.makedirs(out, exist_ok=True)
    total = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".json") or name == "index.json":
            continue
        with open(os.path.join(src, name)) as f:
            d = json.load(f)
        keep = KEEP_EXTENDED if extended else KEEP_INTERMEDIATES if name == "intermediates.json" else KEEP_CLIP
        blob = pack(select(d, keep))
        dest = os.path.join(out, name[: -len(".json")] + ".bin.gz")
        with open(dest, "wb") as f:
            f.write(blob)
        total += len(blob)
        print(f"{dest}: {len(blob)} bytes")
    print(f"{out}: {total} bytes of goldens")


if __name__ == "__main__":
    main()
