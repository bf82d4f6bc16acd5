"""Writes tests/fixtures/augment/librosa-augment.json: librosa 0.11 outputs the augmentation port is
checked against. Run by hand with the librosa venv (never at test time):

    /work/venv/bin/python scripts/make-augment-goldens.py

Input: the first 0.5 s of the synthetic golden clip anger_18_ru.wav (22050 Hz), stored in the fixture
itself so the tests need nothing else. Arrays are float32 little-endian, base64.
"""
from __future__ import annotations

import base64
import json
import os
import sys

import librosa
import numpy as np
import soundfile as sf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SER_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
CLIP = os.path.join(SHARED, "golden", "synth", "audio", "anger", "anger_18_ru.wav")
OUT = os.path.join(ROOT, "tests", "fixtures", "augment", "librosa-augment.json")

N_SAMPLES = 11025
STRETCH_RATES = [0.8, 1.25]
PITCH_STEPS = [2.0, -1.5]
# A small phase-vocoder case (short n_fft) so the complex output stays a few tens of KB.
PV_N_FFT = 512
PV_HOP = 128
PV_N_SAMPLES = 2048
PV_RATES = [0.8, 1.25]


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def main() -> None:
    y, sr = sf.read(CLIP, dtype="float32")
    assert sr == 22050 and y.ndim == 1
    y = np.ascontiguousarray(y[:N_SAMPLES])

    out: dict = {
        "generator": "scripts/make-augment-goldens.py",
        "librosa": librosa.__version__,
        "numpy": np.__version__,
        "clip": "synth/audio/anger/anger_18_ru.wav[:%d]" % N_SAMPLES,
        "sr": sr,
        "input": b64(y),
        "stretch": [],
        "pitch": [],
        "phaseVocoder": [],
    }
    for rate in STRETCH_RATES:
        ys = librosa.effects.time_stretch(y, rate=rate)
        assert ys.dtype == np.float32
        out["stretch"].append({"rate": rate, "length": len(ys), "y": b64(ys)})
    for steps in PITCH_STEPS:
        yp = librosa.effects.pitch_shift(y, sr=sr, n_steps=steps)
        assert yp.dtype == np.float32 and len(yp) == len(y)
        out["pitch"].append({"nSteps": steps, "length": len(yp), "y": b64(yp)})
    ypv = y[:PV_N_SAMPLES]
    D = librosa.stft(ypv, n_fft=PV_N_FFT, hop_length=PV_HOP)
    for rate in PV_RATES:
        S = librosa.phase_vocoder(D, rate=rate, hop_length=PV_HOP, n_fft=PV_N_FFT)
        assert S.dtype == np.complex64
        # frame-major like src/core/dsp/stft.ts: bin k of frame t at [t * nBins + k]
        out["phaseVocoder"].append(
            {
                "rate": rate,
                "nFft": PV_N_FFT,
                "hop": PV_HOP,
                "nSamples": PV_N_SAMPLES,
                "nFrames": S.shape[1],
                "nBins": S.shape[0],
                "re": b64(S.real.T),
                "im": b64(S.imag.T),
            }
        )

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
    print(OUT, os.path.getsize(OUT), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
