"""Writes tests/fixtures/audio/resample-expected.json: python-soxr's soxr_hq output for float32
test signals, which tests/core/audio/resample.test.ts must reproduce bit for bit.

The signals are generated with integer and float32 arithmetic only, so that the test regenerates
them exactly (see `signal()` there); inputs are stored only for the 2:1 cases, which
tests/core/dsp/decimate.test.ts reads. Run with the reference venv (bench/README.md; soxr 1.1.0):
    .venv/bin/python scripts/gen-resample-expected.py
"""
import base64, json, math, os
import numpy as np
import soxr

f32 = np.float32


def lcg_noise(n, seed, shift):
    """Uniform noise in [-2^-shift, 2^-shift): 24-bit integers from a 32-bit LCG, scaled exactly."""
    out = np.empty(n, np.float32)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        out[i] = ((s >> 8) - (1 << 23)) * 2.0 ** -(23 + shift)
    return out


def signal(kind, n, seed):
    if kind == 'noise':
        return lcg_noise(n, seed, 2)
    if kind == 'speech':  # AR(2) resonance on noise, gated: every third 700-sample stretch is silent
        e = lcg_noise(n, seed, 4)
        a1, a2 = f32(1.6), f32(-0.8)
        y = np.zeros(n, np.float32)
        y1 = y2 = f32(0)
        for i in range(n):
            v = f32(f32(f32(a1 * y1) + f32(a2 * y2)) + e[i])
            y2, y1 = y1, v
            y[i] = f32(0) if (i // 700) % 3 == 2 else v
        return y
    if kind == 'tone':  # float32 oscillator recursion s[i] = 1.9 s[i-1] - s[i-2]
        k = f32(1.9)
        y = np.zeros(n, np.float32)
        s2, s1 = f32(0), f32(0.01)
        for i in range(n):
            y[i] = s1
            s2, s1 = s1, f32(f32(k * s1) - s2)
        return y
    raise ValueError(kind)


CASES = [
    ('speech', 44100, 22050, 4000), ('noise', 44100, 22050, 3500),
    ('speech', 48000, 22050, 4000), ('tone', 48000, 22050, 3000),
    ('speech', 16000, 22050, 2000), ('noise', 16000, 22050, 1500),
    ('speech', 8000, 22050, 1500),
    ('speech', 2, 1, 3400), ('noise', 2, 1, 1430), ('tone', 2, 1, 1423),
    ('noise', 24414, 22050, 1451), ('noise', 96000, 22050, 2500), ('noise', 88200, 22050, 1500),
    ('speech', 24750.288165221675, 22050, 1416), ('noise', 18541.765956344407, 22050, 1409),
    ('tone', 22696.114317989, 22050, 1402),
    ('noise', 4000, 22050, 600), ('noise', 192000, 22050, 1388), ('speech', 22050, 16000, 1381),
    ('tone', 3, 1, 1374), ('noise', 32000, 22050, 1000), ('noise', 11025, 22050, 800),
]


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, '<f4').tobytes()).decode()


cases = []
for k, (kind, sr_in, sr_out, n) in enumerate(CASES):
    seed = 1000 + k
    x = signal(kind, n, seed)
    y = soxr.resample(x, sr_in, sr_out, quality='soxr_hq')
    assert y.dtype == np.float32
    c = dict(signal=kind, seed=seed, sr_in=sr_in, sr_out=sr_out, n_in=n, n_out=len(y),
             librosa_length=int(math.ceil(n * (sr_out / sr_in))))  # librosa.resample's fix_length
    if sr_in == 2 and sr_out == 1:
        c['x_f32_b64'] = b64(x)
    c['y_f32_b64'] = b64(y)
    cases.append(c)

out = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'audio', 'resample-expected.json')
with open(out, 'w') as fh:
    json.dump(dict(note="soxr.resample(x, sr_in, sr_out, quality='soxr_hq'), float32 in/out, little-endian "
                        "base64; x from the signal generators of scripts/gen-resample-expected.py unless stored",
                   soxr=soxr.__version__, cases=cases), fh)
print(out, os.path.getsize(out), 'bytes')
