#!/usr/bin/env python3
"""Writes the audio-format fixtures (called by make-format-goldens.sh; run by hand).

    make-format-goldens.py VOICE_A.wav VOICE_B.wav OUT_DIR

OUT_DIR/formats/*.wav|*.flac   short clips in many sample formats (these also get librosa goldens)
OUT_DIR/lossy/*.ogg|*.mp3      the same speech through lossy codecs (decode smoke tests)
OUT_DIR/decode-expected.json   what soundfile / librosa.load return for each clip
OUT_DIR/resample-expected.json soxr.resample(..., quality='soxr_hq') goldens (base64 float32)
"""
import base64
import json
import os
import sys

import librosa
import numpy as np
import soundfile as sf
import soxr

DUR = 0.5  # seconds per clip: keeps the per-frame goldens small


def b64(x):
    return base64.b64encode(np.asarray(x, dtype="<f4").tobytes()).decode("ascii")


def segment(x, start_s, sr_out, dur=DUR):
    """dur seconds of a 22050 Hz voice from start_s, band-limited resampled to sr_out."""
    a = int(start_s * 22050)
    piece = x[a:a + int((dur + 0.05) * 22050)]
    y = piece if sr_out == 22050 else soxr.resample(piece, 22050, sr_out, quality="VHQ")
    return np.asarray(y[:int(round(dur * sr_out))], dtype=np.float64)


def main():
    a_path, b_path, out = sys.argv[1:4]
    va, sra = sf.read(a_path, dtype="float64")
    vb, srb = sf.read(b_path, dtype="float64")
    assert sra == srb == 22050, (sra, srb)
    va = 0.9 * va / np.max(np.abs(va))
    vb = 0.7 * vb / np.max(np.abs(vb))
    n = 3 * 22050  # room for every segment below
    va, vb = np.pad(va, (0, max(0, n - len(va)))), np.pad(vb, (0, max(0, n - len(vb))))

    def stereo(sr, start):
        return np.stack([segment(va, start, sr), segment(vb, start, sr)], axis=1)

    fmt = os.path.join(out, "formats")
    clips = [
        ("s16_44k1_stereo.wav", stereo(44100, 0.10), 44100, "WAV", "PCM_16"),
        ("s24_48k_mono.wav", segment(va, 0.35, 48000), 48000, "WAV", "PCM_24"),
        ("u8_44k1_mono.wav", segment(va, 0.60, 44100), 44100, "WAV", "PCM_U8"),
        ("f32_48k_mono.wav", segment(va, 0.85, 48000), 48000, "WAV", "FLOAT"),
        ("f64_22k05_mono.wav", segment(vb, 0.20, 22050), 22050, "WAV", "DOUBLE"),
        ("s32_16k_mono.wav", segment(vb, 0.45, 16000), 16000, "WAV", "PCM_32"),
        ("ulaw_8k_mono.wav", segment(va, 1.10, 8000), 8000, "WAV", "ULAW"),
        ("s24_48k_extensible.wav", segment(vb, 0.70, 48000), 48000, "WAVEX", "PCM_24"),
        ("flac_s16_44k1_stereo.flac", stereo(44100, 0.95), 44100, "FLAC", "PCM_16"),
        ("flac_s24_48k_mono.flac", segment(va, 1.20, 48000), 48000, "FLAC", "PCM_24"),
    ]
    for name, data, sr, container, subtype in clips:
        sf.write(os.path.join(fmt, name), data, sr, format=container, subtype=subtype)

    # Lossy versions of the float32 clip's samples: tests correlate them with f32_48k_mono.wav.
    lossy_src = segment(va, 0.85, 48000)
    lossy = [
        ("vorbis_48k_mono.ogg", "OGG", "VORBIS"),
        ("opus_48k_mono.ogg", "OGG", "OPUS"),
        ("mp3_48k_mono.mp3", "MP3", "MPEG_LAYER_III"),
    ]
    for name, container, subtype in lossy:
        sf.write(os.path.join(out, "lossy", name), lossy_src, 48000, format=container, subtype=subtype)

    expected = {"note": "soundfile.read(dtype='float32') and librosa.load(sr=22050) of each clip; "
                        "slices are [channel][sample] from frame `slice_start`",
                "versions": {"librosa": librosa.__version__, "soundfile": sf.__version__,
                             "libsndfile": sf.__libsndfile_version__, "soxr": soxr.__version__},
                "files": {}}
    for sub in ("formats", "lossy"):
        for name in sorted(os.listdir(os.path.join(out, sub))):
            p = os.path.join(out, sub, name)
            info = sf.info(p)
            data, sr = sf.read(p, dtype="float32", always_2d=True)
            start = min(1000, max(0, len(data) - 48))
            y, _ = librosa.load(p, sr=22050, mono=True)
            expected["files"][f"{sub}/{name}"] = {
                "format": info.format, "subtype": info.subtype, "sample_rate": sr,
                "channels": info.channels, "frames": int(len(data)),
                "slice_start": start,
                "slice": [np.asarray(data[start:start + 48, c], dtype=np.float64).tolist() for c in range(info.channels)],
                "channel_sum": [float(np.sum(data[:, c], dtype=np.float64)) for c in range(info.channels)],
                "channel_sumsq": [float(np.sum(data[:, c].astype(np.float64) ** 2)) for c in range(info.channels)],
                "load22050": {"n_samples": int(len(y)), "sum": float(np.sum(y, dtype=np.float64)),
                              "sumsq": float(np.sum(y.astype(np.float64) ** 2)),
                              "slice": np.asarray(y[500:548], dtype=np.float64).tolist()},
            }
    with open(os.path.join(out, "decode-expected.json"), "w") as f:
        json.dump(expected, f, indent=1)

    # soxr goldens: speech, white noise and a chirp through the rate changes the app performs.
    rng = np.random.default_rng(20261127)
    t = np.arange(1500) / 22050
    signals = {
        "speech": segment(va, 0.30, 22050, dur=1500 / 22050),
        "noise": rng.standard_normal(1500) * 0.3,
        "chirp": 0.8 * np.sin(2 * np.pi * (100 * t + 0.5 * (11000 - 100) / t[-1] * t ** 2)),
    }
    cases = [
        ("speech", 44100, 22050), ("noise", 44100, 22050), ("speech", 48000, 22050), ("chirp", 48000, 22050),
        ("speech", 16000, 22050), ("noise", 16000, 22050), ("speech", 8000, 22050), ("speech", 24414, 22050),
        ("noise", 96000, 22050), ("speech", 2, 1), ("noise", 2, 1), ("chirp", 2, 1),
        # pitch shifting resamples sr / rate -> sr, rate = 2 ** (-steps / 12)
        ("speech", 22050 / 2 ** (-2 / 12), 22050), ("noise", 22050 / 2 ** (3 / 12), 22050),
        ("chirp", 22050 / 2 ** (-0.5 / 12), 22050),
        # less common paths: a post stage (big upsampling), 2:1 half-band stages, plain downsampling
        ("noise", 4000, 22050), ("noise", 192000, 22050), ("speech", 22050, 16000), ("chirp", 3, 1),
    ]
    res = []
    for i, (sig, sr_in, sr_out) in enumerate(cases):
        n = 1500 - 7 * i  # odd and even lengths
        x = signals[sig][:n].astype(np.float32)
        y = soxr.resample(x, sr_in, sr_out, quality="soxr_hq")
        res.append({"signal": sig, "sr_in": sr_in, "sr_out": sr_out, "n_in": n, "n_out": int(len(y)),
                    "librosa_length": int(np.ceil(n * float(sr_out) / sr_in)),
                    "x_f32_b64": b64(x), "y_f32_b64": b64(y)})
    with open(os.path.join(out, "resample-expected.json"), "w") as f:
        json.dump({"note": "soxr.resample(x, sr_in, sr_out, quality='soxr_hq'), float32 in/out, little-endian base64",
                   "soxr": soxr.__version__, "cases": res}, f, indent=1)


if __name__ == "__main__":
    main()
