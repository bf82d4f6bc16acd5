"""Writes tests/fixtures/explore/sklearn-pca.json: what scikit-learn computes for the feature explorer's
projection, `PCA(n_components=2).fit(StandardScaler().fit_transform(X))`, on a few matrices made here with a
fixed seed (stored in the fixture, so the tests need nothing else). Run by hand, never at test time:

    python3 -m venv /tmp/V && /tmp/V/bin/pip install --retries 0 scikit-learn numpy
    /tmp/V/bin/python scripts/make-pca-fixture.py

Arrays are float64 little-endian, base64; `x` is row-major n x d.
"""
from __future__ import annotations

import base64
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "explore", "sklearn-pca.json")


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def correlated(rng: np.random.Generator) -> np.ndarray:
    """60 x 12: three latent factors, columns on scales from 2^-10 to 2^10, one constant column."""
    n, d = 60, 12
    factors = rng.normal(size=(n, 3)) * np.array([3.0, 1.5, 0.7])
    loadings = rng.normal(size=(3, d))
    x = factors @ loadings + 0.3 * rng.normal(size=(n, d))
    x *= 2.0 ** np.linspace(-10, 10, d)
    x += rng.normal(size=d) * 5
    x[:, 4] = 3.25
    return x


def wide(rng: np.random.Generator) -> np.ndarray:
    """15 x 40: fewer vectors than dimensions, like a small corpus (the demo set is 98 x 166)."""
    n, d = 15, 40
    factors = rng.normal(size=(n, 2)) * np.array([2.0, 1.0])
    return factors @ rng.normal(size=(2, d)) + 0.5 * rng.normal(size=(n, d))


def features(rng: np.random.Generator) -> np.ndarray:
    """40 x 166 shaped like the reference vector: MFCC 13 (tens to hundreds), chroma 12 in [0, 1], mel 128
    (log-normal powers from 1e-6 to 1e2), contrast 7 (dB-like), tonnetz 6 (small, signed), with a 'speaker'
    factor (two groups) and a 'loudness' factor shared by every block."""
    n = 40
    speaker = np.repeat([0.0, 1.0], n // 2)
    loud = rng.normal(size=n)
    mfcc = rng.normal(size=(n, 13)) * 8 + np.outer(loud, rng.normal(size=13) * 20) + np.outer(speaker, rng.normal(size=13) * 15)
    mfcc[:, 0] -= 300
    chroma = np.clip(0.45 + 0.1 * rng.normal(size=(n, 12)) + 0.05 * np.outer(speaker, rng.normal(size=12)), 0, 1)
    base = rng.uniform(-6, 2, size=128)
    mel = 10.0 ** (base + 0.3 * rng.normal(size=(n, 128)) + np.outer(0.4 * loud, np.ones(128)) + np.outer(0.2 * speaker, rng.normal(size=128)))
    contrast = 20 + 3 * rng.normal(size=(n, 7)) + np.outer(speaker, rng.normal(size=7) * 2)
    tonnetz = 0.02 * rng.normal(size=(n, 6))
    return np.hstack([mfcc, chroma, mel, contrast, tonnetz])


def case(name: str, x: np.ndarray) -> dict:
    z = StandardScaler().fit_transform(x)
    scaler = StandardScaler().fit(x)
    pca = PCA(n_components=2, svd_solver="full").fit(z)
    scores = pca.transform(z)
    # The same with the covariance eigensolver (our method): sklearn must agree with itself.
    eigh = PCA(n_components=2, svd_solver="covariance_eigh").fit(z)
    assert np.allclose(eigh.components_, pca.components_, atol=1e-9), name
    # The sign convention the port follows: each component's largest-|loading| entry is positive.
    for c in pca.components_:
        assert c[np.argmax(np.abs(c))] > 0, name
    full = PCA(svd_solver="full").fit(z)
    constant = [int(j) for j in np.flatnonzero(scaler.scale_ == 1.0) if np.ptp(x[:, j]) == 0]
    return {
        "name": name,
        "n": int(x.shape[0]),
        "d": int(x.shape[1]),
        "x": b64(x),
        "mean": b64(scaler.mean_),
        "scale": b64(scaler.scale_),
        "constant": constant,
        "components": b64(pca.components_),
        "explainedVariance": pca.explained_variance_.tolist(),
        "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
        "allExplainedVarianceRatio": full.explained_variance_ratio_.tolist(),
        "scores": b64(scores),
    }


def main() -> None:
    rng = np.random.default_rng(20240611)
    cases = [case("correlated", correlated(rng)), case("wide", wide(rng)), case("features", features(rng))]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    for c in cases:
        print(c["name"], c["n"], "x", c["d"], "ratios", [round(r, 6) for r in c["explainedVarianceRatio"]])
    print("wrote", OUT)


if __name__ == "__main__":
    main()
