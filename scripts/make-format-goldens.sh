#!/usr/bin/env bash
# Regenerates tests/fixtures/audio: short speech clips in many container/sample formats, what
# soundfile decodes from them, soxr resampling goldens, and librosa feature goldens
# (../shared/reference/golden.py). Run by hand, never at test time:
#
#   scripts/make-format-goldens.sh            # needs espeak-ng, and the librosa venv (VENV, default /work/venv)
#
# Inputs are synthesised (espeak-ng) so the fixtures carry no third-party recordings.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-/work/venv}"
SHARED="${SER_SHARED_DIR:-../shared}"
OUT=tests/fixtures/audio
command -v espeak-ng >/dev/null || { echo "espeak-ng is missing (apt-get install -y espeak-ng)"; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Two voices: the left/right channels of the stereo clips differ, so the downmix is tested.
espeak-ng -v en-us -s 150 -p 45 -w "$TMP/a.wav" "Seven sailors sang softly"
espeak-ng -v en-gb+f3 -s 170 -p 70 -w "$TMP/b.wav" "Nobody knew the answer"

rm -rf "$OUT/formats" "$OUT/lossy" "$OUT/golden"
mkdir -p "$OUT/formats" "$OUT/lossy" "$OUT/golden"
"$VENV/bin/python" scripts/make-format-goldens.py "$TMP/a.wav" "$TMP/b.wav" "$OUT"
"$VENV/bin/python" "$SHARED/reference/golden.py" "$OUT/formats" "$OUT/golden" --no-intermediates
du -sh "$OUT"
