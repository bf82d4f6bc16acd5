#!/usr/bin/env bash
# Regenerates the bundled demo dataset (resources/demo) from scratch with espeak-ng and sox.
# Deterministic: no randomness, sox runs with -R (fixed seeds) and -D (no dither), so two runs
# with the same espeak-ng/sox versions give byte-identical files.
#
# Usage: scripts/make-demo-dataset.sh [OUT_DIR]   (default: resources/demo)
set -euo pipefail
export LC_ALL=C.UTF-8

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/resources/demo}"
phrases="$root/scripts/demo/phrases.tsv"
clips_per_class=14

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done

# Speakers: id, espeak-ng voice, phrase language. Each voice is one "speaker" of the dataset.
speakers=(en-us-m en-gb-f ru-m de-f)
voices=(en-us en-gb+f3 ru de+f2)
langs=(en en ru de)

# Per-emotion prosody, chosen after the usual acted-speech descriptions:
#   speed (wpm), pitch (0-99), pitch range (% of the voice's), amplitude (0-200), word gap (10 ms units),
#   and a light sox colouring (anger: overdrive, disgust: nasal mid boost, enthusiasm: brighter,
#   fear: vocal tremor, sadness: muffled).
labels=(anger disgust enthusiasm fear happiness neutral sadness)
declare -A speed=([anger]=185 [disgust]=150 [enthusiasm]=205 [fear]=215 [happiness]=185 [neutral]=175 [sadness]=135)
declare -A pitch=([anger]=42 [disgust]=32 [enthusiasm]=68 [fear]=75 [happiness]=62 [neutral]=50 [sadness]=30)
declare -A range=([anger]=170 [disgust]=80 [enthusiasm]=220 [fear]=60 [happiness]=170 [neutral]=100 [sadness]=30)
declare -A amp=([anger]=170 [disgust]=105 [enthusiasm]=145 [fear]=75 [happiness]=120 [neutral]=100 [sadness]=65)
declare -A gap=([anger]=0 [disgust]=3 [enthusiasm]=0 [fear]=3 [happiness]=0 [neutral]=0 [sadness]=4)
declare -A fx=(
  [anger]="gain -2 overdrive 6 gain -4"
  [disgust]="gain -4 equalizer 1200 1.2q 6"
  [enthusiasm]="gain -4 treble 4"
  [fear]="tremolo 8 45"
  [happiness]=""
  [neutral]=""
  [sadness]="lowpass 2800"
)

phrase() { # label lang index -> text
  awk -F'\t' -v l="$1" -v g="$2" -v k="$3" \
    '$0 !~ /^#/ && $1 == l && $2 == g { if (n++ == k) { print $3; exit } }' "$phrases"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$out"
for label in "${labels[@]}"; do rm -rf "${out:?}/$label"; done
rm -f "$out/manifest.csv"

manifest="$tmp/manifest.csv"
echo "path,label,speaker" > "$manifest"

for ci in "${!labels[@]}"; do
  label="${labels[$ci]}"
  mkdir -p "$out/$label"
  for ((n = 1; n <= clips_per_class; n++)); do
    # Rotate voices so every class gets 3-4 clips per speaker; clip k of a voice reads phrase k.
    v=$(( (n - 1 + ci) % ${#speakers[@]} ))
    k=$(( (n - 1) / ${#speakers[@]} ))
    text="$(phrase "$label" "${langs[$v]}" "$k")"
    [ -n "$text" ] || { echo "no phrase $k for $label/${langs[$v]}" >&2; exit 1; }
    # Small fixed per-clip variation so repeated settings do not give identical prosody.
    s=$(( speed[$label] + ((n * 5) % 7 - 3) * 3 ))
    p=$(( pitch[$label] + ((n * 3) % 5 - 2) * 2 ))
    raw="$tmp/raw.wav"
    espeak-ng -m -v "${voices[$v]}" -s "$s" -p "$p" -a "${amp[$label]}" -g "${gap[$label]}" -w "$raw" \
      "<speak><prosody range=\"${range[$label]}%\">$text</prosody></speak>"
    name="$(printf '%s_%02d_%s.wav' "$label" "$n" "${speakers[$v]}")"
    # Trim espeak's leading/trailing silence, colour, then pad a little so onsets are not clipped.
    # shellcheck disable=SC2086
    sox -R -D "$raw" -b 16 -c 1 -r 22050 -e signed-integer "$out/$label/$name" \
      silence 1 0.005 0.05% reverse silence 1 0.005 0.05% reverse ${fx[$label]} pad 0.03 0.05
    echo "$label/$name,$label,${speakers[$v]}" >> "$manifest"
  done
done

mv "$manifest" "$out/manifest.csv"
echo "wrote $(( $(wc -l < "$out/manifest.csv") - 1 )) clips to $out"
