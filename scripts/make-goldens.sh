#!/usr/bin/env bash
# Rebuilds the librosa 0.11 golden fixtures the parity tests read (tests/fixtures/golden/, and
# tests/core/features/fixtures/other_sample_rates.json) from the audio committed beside them.
# Run by hand when the reference changes; the tests never run it. See tests/fixtures/golden/README.md.
#
#   python3 -m venv .venv && .venv/bin/pip install --retries 0 librosa==0.11.0 soundfile   # once
#   scripts/make-goldens.sh                      # goldens of both sets from the committed audio
#   scripts/make-goldens.sh --speech-audio       # first re-synthesise the speech set's audio (espeak-ng + sox)
#   scripts/make-goldens.sh --extended-only      # only the extended preset's blocks (<set>/extended/), the rest untouched
#   scripts/make-goldens.sh --check-shared [DIR] # prove the generator: run it on DIR/golden/synth/audio
#                                                # (default ../shared) and compare with DIR/golden/synth/*.json
#
# Python: $SER_REFERENCE_PYTHON, else .venv/bin/python. scripts/goldens/golden.py and features.py are
# copies of the project's reference (shared/reference/); pack.py keeps what the tests compare and
# writes it compactly. librosa's float32 results depend on the SIMD code numpy and OpenBLAS pick at
# run time (AVX-512 log10/exp and sgemm kernels round differently), so the CPU paths the goldens were
# made with are pinned below: numpy without its AVX-512 loops, OpenBLAS Haswell kernels. With them,
# --check-shared reproduces ../shared/golden/synth bit for bit on an AVX-512 machine (unpinned, a few
# per cent of the MFCC and log-mel values differ in their last float32 bits: equal to the tests' tolerances).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${SER_REFERENCE_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || { echo "no reference Python at $PY: create .venv (see the top of this script) or set SER_REFERENCE_PYTHON"; exit 1; }
if [ "$(uname -m)" = x86_64 ]; then
  export NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"
  export OPENBLAS_CORETYPE=Haswell
fi
OUT=tests/fixtures/golden
GEN=scripts/goldens
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# set -> the clip whose DSP intermediates are stored too
declare -A INTERMEDIATE=([synth]=neutral/neutral_03_en-f3.wav [speech]=anger/de_m3_fast.wav)

if [ "${1:-}" = --check-shared ]; then
  SHARED="${2:-../shared}"
  [ -d "$SHARED/golden/synth/audio" ] || { echo "no $SHARED/golden/synth/audio"; exit 1; }
  "$PY" "$GEN/golden.py" "$SHARED/golden/synth/audio" "$TMP/synth" --intermediate-file "$SHARED/golden/synth/audio/${INTERMEDIATE[synth]}"
  "$PY" "$GEN/compare.py" "$TMP/synth" "$SHARED/golden/synth"
  # the packed fixtures of the reference JSON are the committed ones, byte for byte
  "$PY" "$GEN/pack.py" "$SHARED/golden/synth" "$TMP/packed" >/dev/null
  for f in "$TMP"/packed/*.bin.gz; do cmp "$f" "$OUT/synth/$(basename "$f")"; done
  echo "packed reference = committed $OUT/synth/*.bin.gz"
  exit 0
fi

# the extended preset's per-frame blocks (rms, zcr, spectral shape, MFCC deltas) -> $OUT/<set>/extended/
extended_goldens() {
  local set=$1 audio="$OUT/$1/audio"
  "$PY" "$GEN/golden.py" "$audio" "$TMP/$set-extended" --extended
  rm -f "$OUT/$set"/extended/*.bin.gz
  "$PY" "$GEN/pack.py" --extended "$TMP/$set-extended" "$OUT/$set/extended"
}

if [ "${1:-}" = --extended-only ]; then
  for set in synth speech; do extended_goldens "$set"; done
  du -cb "$OUT"/*/extended/*.bin.gz | tail -1
  exit 0
fi

if [ "${1:-}" = --speech-audio ]; then
  "$GEN/make-speech-audio.sh" "$OUT/speech/audio"
fi

for set in synth speech; do
  audio="$OUT/$set/audio"
  [ -d "$audio" ] || { echo "no audio at $audio"; exit 1; }
  "$PY" "$GEN/golden.py" "$audio" "$TMP/$set" --intermediate-file "$audio/${INTERMEDIATE[$set]}"
  rm -f "$OUT/$set"/*.bin.gz
  "$PY" "$GEN/pack.py" "$TMP/$set" "$OUT/$set"
  extended_goldens "$set"
done
# librosa.pyin's F0 tracks of both sets' clips (tests/core/dsp/pyin.test.ts): one small file of its own
"$PY" "$GEN/pyin.py" "$OUT/pyin.bin.gz" "$OUT/synth" "$OUT/speech"

# other_sample_rates.json was made on an AVX-512 machine with numpy's AVX-512 loops on (OpenBLAS Haswell):
# so it is reproduced byte for byte (other settings differ by float32 rounding, ~5e-5 on MFCC 0)
env -u NPY_DISABLE_CPU_FEATURES "$PY" tests/core/features/fixtures/make_sr_fixtures.py "$OUT/synth/audio/anger/anger_18_ru.wav" 2>/dev/null
du -cb "$OUT"/*/*.bin.gz "$OUT"/*/extended/*.bin.gz "$OUT/pyin.bin.gz" tests/core/features/fixtures/other_sample_rates.json | tail -1
