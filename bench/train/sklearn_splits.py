#!/usr/bin/env python3
"""Golden splits from scikit-learn for tests/core/dataset/splits.test.ts.

    /work/venv-tf/bin/python bench/train/sklearn_splits.py tests/core/train/fixtures/sklearn-splits.json

Synthetic labels/speakers only (seeded), so the golden holds no dataset content.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, train_test_split


def case(n, n_classes, n_speakers, seed, weights=None):
    r = np.random.default_rng(1000 + seed)
    labels = [f"c{int(c)}" for c in r.choice(n_classes, size=n, p=weights)]
    speakers = [f"s{int(s):02d}" for s in r.integers(0, n_speakers, size=n)]
    return labels, speakers


cases = []
for (n, nc, ns, weights) in [(535, 7, 10, [0.24, 0.15, 0.09, 0.13, 0.13, 0.15, 0.11]), (60, 3, 6, None), (101, 4, 8, None)]:
    for seed in (0, 1, 42, 1234):
        labels, speakers = case(n, nc, ns, seed, weights)
        idx = np.arange(n)
        entry = {"labels": labels, "speakers": speakers, "seed": seed}
        for vf in (0.2, 0.25):
            _, va = train_test_split(idx, test_size=vf, stratify=labels, random_state=seed)
            entry[f"stratified_{vf}"] = sorted(int(i) for i in va)
        skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        entry["kfold5"] = [sorted(int(i) for i in te) for _, te in skf.split(idx, labels)]
        k = max(2, min(5, len(set(speakers))))
        sgkf = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
        entry["group_k"] = k
        entry["groupkfold"] = [sorted(int(i) for i in te) for _, te in sgkf.split(idx, labels, np.array(speakers))]
        cases.append(entry)

json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, open(sys.argv[1], "w"))
print("wrote", sys.argv[1], len(cases), "cases")
