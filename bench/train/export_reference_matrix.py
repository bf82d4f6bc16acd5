#!/usr/bin/env python3
"""Export the exact train/validation feature rows of a reference run (../shared/reference/train.py) for
bench/train/run.ts --matrix and bench/train/parity.ts.

    python bench/train/export_reference_matrix.py DATA_DIR OUT_DIR [--split stratified|speaker] [--seed 42]

Needs the feature cache that train.py writes (run train.py once with the same --seed first). Rows are
raw (not standardised); y are class indices of the sorted labels, as in train.py.
"""
import argparse
import json
import os
import sys
import tempfile
import zlib

import numpy as np

REF = os.environ.get("SER_REFERENCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/reference"))
sys.path.insert(0, REF)
import augment  # noqa: E402
from train import read_dataset  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("data_dir")
ap.add_argument("out_dir")
ap.add_argument("--split", choices=["stratified", "speaker"], default="stratified")
ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--n-aug", type=int, default=5)
ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "ser-feature-cache"))
a = ap.parse_args()

from sklearn.model_selection import StratifiedGroupKFold, train_test_split  # noqa: E402

items, _ = read_dataset(a.data_dir)
classes = sorted({r["label"] for r in items})
y_clip = np.array([classes.index(r["label"]) for r in items])
keys = [os.path.relpath(r["path"], a.data_dir) for r in items]
idx = np.arange(len(items))
if a.split == "speaker":
    groups = np.array([r["speaker"] for r in items])
    k = max(2, min(5, len(set(groups))))
    tr, va = next(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=a.seed).split(idx, y_clip, groups))
else:
    tr, va = train_test_split(idx, test_size=0.2, stratify=y_clip, random_state=a.seed)
plans = {i: augment.copy_plan(a.n_aug, "cycle", np.random.default_rng([a.seed, 10 ** 6, zlib.crc32(keys[i].encode())])) for i in range(len(items))}
with np.load(os.path.join(a.cache, f"features-seed{a.seed}-cycle.npz"), allow_pickle=True) as z:
    cache = z["cache"].item()
vec = lambda i, k, name: cache[f"{keys[i]}|{k}|{name}"][0]  # noqa: E731
train_pairs = [(i, -1, "orig") for i in np.sort(tr)] + [(i, k, plans[i][k]) for i in np.sort(tr) for k in range(a.n_aug)]
val_pairs = [(i, -1, "orig") for i in np.sort(va)]
os.makedirs(a.out_dir, exist_ok=True)
np.array([vec(*p) for p in train_pairs], dtype=np.float32).tofile(os.path.join(a.out_dir, "x_train.f32"))
np.array([y_clip[p[0]] for p in train_pairs], dtype=np.int32).tofile(os.path.join(a.out_dir, "y_train.i32"))
np.array([vec(*p) for p in val_pairs], dtype=np.float32).tofile(os.path.join(a.out_dir, "x_val.f32"))
np.array([y_clip[p[0]] for p in val_pairs], dtype=np.int32).tofile(os.path.join(a.out_dir, "y_val.i32"))
json.dump({"features": int(len(vec(*val_pairs[0]))), "classes": len(classes), "labels": classes, "seed": a.seed, "split": a.split,
           "val_ids": [keys[i] for i in np.sort(va)]}, open(os.path.join(a.out_dir, "meta.json"), "w"))
print(f"wrote {a.out_dir}: {len(train_pairs)} train rows, {len(val_pairs)} val rows, {len(classes)} classes")
