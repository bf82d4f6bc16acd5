#!/usr/bin/env python3
"""pYIN goldens: librosa 0.11's F0 track of every committed golden clip, packed for tests/core/dsp/pyin.test.ts.

    pyin.py OUT.bin.gz SET_DIR [SET_DIR ...]     # e.g. tests/fixtures/golden/{synth,speech}

Per clip (every *.wav under SET_DIR/audio, sorted), keyed "<set>/<label>/<file>":

    y, _ = librosa.load(path, sr=22050)                               # float32, as the feature path runs it
    f0, voiced_flag, voiced_prob = librosa.pyin(y, fmin=librosa.note_to_hz('C2'),
                                                fmax=librosa.note_to_hz('C7'), sr=22050)
    f0_filled = librosa.pyin(..., fill_na=None)[0]                    # the decoded bin on unvoiced frames too

so the whole Viterbi path is pinned, not only its voiced part. "other_settings": one clip under other
arguments (sr, fmin, fmax, frame_length, hop_length), so the port's band width, lag range and FFT size
follow librosa's arithmetic beyond the defaults. The run on y.astype(float64) is compared
too and must give the same three arrays (librosa's float32 autocorrelation only moves the difference
function by ~1e-7, and pYIN's outputs are piecewise constant in it): the port's Float64Array path is
tested against the same goldens. Also stored: scipy's beta(2, 18) threshold probabilities, the pitch
grid bounds, the versions. A separate file from golden.py's: adding it changed no existing golden.
"""
from __future__ import annotations

import hashlib
import os
import platform
import sys

import librosa
import numpy as np
import scipy
import scipy.stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pack import pack  # noqa: E402

SR = 22050
FMIN = librosa.note_to_hz("C2")
FMAX = librosa.note_to_hz("C7")


def clip_golden(path: str) -> dict:
    y, _ = librosa.load(path, sr=SR)
    assert y.dtype == np.float32
    f0, flag, prob = librosa.pyin(y, fmin=FMIN, fmax=FMAX, sr=SR)
    filled = librosa.pyin(y, fmin=FMIN, fmax=FMAX, sr=SR, fill_na=None)[0]
    f0_64, flag_64, prob_64 = librosa.pyin(y.astype(np.float64), fmin=FMIN, fmax=FMAX, sr=SR)
    same64 = (
        np.array_equal(flag, flag_64)
        and np.array_equal(prob, prob_64)
        and np.array_equal(f0, f0_64, equal_nan=True)
    )
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return {
        "sha256": sha,
        "n_samples": int(len(y)),
        "n_frames": int(len(f0)),
        "float64_input_identical": bool(same64),
        "f0": [float(v) for v in f0],
        "f0_filled": [float(v) for v in filled],
        "voiced_flag": [int(v) for v in flag],
        "voiced_prob": [float(v) for v in prob],
    }


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    out, sets = sys.argv[1], sys.argv[2:]
    thresholds = np.linspace(0, 1, 101)
    beta_probs = np.diff(scipy.stats.beta.cdf(thresholds, 2, 18))
    clips = {}
    for set_dir in sets:
        name = os.path.basename(os.path.normpath(set_dir))
        audio = os.path.join(set_dir, "audio")
        for root, _, files in sorted(os.walk(audio)):
            for fn in sorted(files):
                if fn.endswith(".wav"):
                    rel = os.path.relpath(os.path.join(root, fn), audio)
                    g = clip_golden(os.path.join(root, fn))
                    clips[f"{name}/{rel}"] = g
                    print(f"{name}/{rel}: {g['n_frames']} frames, {sum(g['voiced_flag'])} voiced, "
                          f"float64 input identical: {g['float64_input_identical']}")
    # one clip under other arguments (the samples are the 22.05 kHz clip's; sr only enters the arithmetic)
    other_clip = "speech/fear/de_f4_tremolo.wav"
    speech = next(d for d in sets if os.path.basename(os.path.normpath(d)) == "speech")
    y, _ = librosa.load(os.path.join(speech, "audio", "fear", "de_f4_tremolo.wav"), sr=SR)
    other = {}
    for name, kw in {
        "sr16000_50_1000_fl1024": dict(sr=16000, fmin=50.0, fmax=1000.0, frame_length=1024),
        "sr22050_80_800_hop256": dict(sr=22050, fmin=80.0, fmax=800.0, frame_length=2048, hop_length=256),
    }.items():
        f0, flag, prob = librosa.pyin(y, **kw)
        other[name] = {
            "clip": other_clip, "kwargs": kw,
            "f0": [float(v) for v in f0], "voiced_flag": [int(v) for v in flag], "voiced_prob": [float(v) for v in prob],
        }
    golden = {
        "call": "librosa.pyin(y, fmin=note_to_hz('C2'), fmax=note_to_hz('C7'), sr=22050), all else default",
        "fmin": float(FMIN),
        "fmax": float(FMAX),
        "beta_probs_2_18": [float(v) for v in beta_probs],
        "clips": clips,
        "other_settings": other,
        "versions": {
            "librosa": librosa.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
            "python": platform.python_version(),
        },
    }
    blob = pack(golden)
    with open(out, "wb") as f:
        f.write(blob)
    print(f"{out}: {len(blob)} bytes")


if __name__ == "__main__":
    main()
