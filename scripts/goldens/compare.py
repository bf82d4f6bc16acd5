#!/usr/bin/env python3
"""Compares two golden JSON directories (golden.py output) value by value.

    compare.py OURS_DIR REFERENCE_DIR

For every *.json in REFERENCE_DIR: the number of leaves (numbers, strings, ...) that are not exactly
equal, and the largest |difference| among numbers; exits 1 when anything differs, except
`index.json`'s "root" (the audio directory's absolute path). Used by make-goldens.sh --check-shared
to prove the generator reproduces ../shared/golden/synth.
"""
import json
import math
import os
import sys


def leaves(x, p=""):
    if isinstance(x, dict):
        for k in sorted(x):
            yield from leaves(x[k], f"{p}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from leaves(v, f"{p}[{i}]")
    else:
        yield p, x


def compare(a, b):
    la, lb = dict(leaves(a)), dict(leaves(b))
    differing, max_abs, where = 0, 0.0, None
    for key in sorted(set(la) | set(lb)):
        va, vb = la.get(key, "<missing>"), lb.get(key, "<missing>")
        if va == vb and type(va) is type(vb):
            continue
        if isinstance(va, float) and isinstance(vb, float) and math.isnan(va) and math.isnan(vb):
            continue
        differing += 1
        if isinstance(va, (int, float)) and isinstance(vb, (int, float)):
            if abs(va - vb) >= max_abs:
                max_abs, where = abs(va - vb), key
        elif where is None:
            where = f"{key}: {va!r} vs {vb!r}"
    return len(lb), differing, max_abs, where


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    ours, ref = sys.argv[1], sys.argv[2]
    bad = 0
    for name in sorted(f for f in os.listdir(ref) if f.endswith(".json")):
        with open(os.path.join(ref, name)) as f:
            b = json.load(f)
        path = os.path.join(ours, name)
        if not os.path.exists(path):
            print(f"{name}: missing")
            bad += 1
            continue
        with open(path) as f:
            a = json.load(f)
        if name == "index.json":
            a.pop("root", None)
            b.pop("root", None)
        n, differing, max_abs, where = compare(a, b)
        bad += differing > 0
        detail = "identical" if differing == 0 else f"{differing} differ, max |diff| {max_abs:.3g} ({where})"
        print(f"{name}: {n} values, {detail}")
    print("generator output equals the reference" if bad == 0 else f"{bad} file(s) differ")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
