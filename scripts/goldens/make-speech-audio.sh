#!/usr/bin/env bash
# Writes the `speech` golden set's audio: five 2.0 s clips, 22050 Hz mono PCM16, made with
# espeak-ng + sox only (so the repository carries no third-party recordings; the EmoDB clips the
# goldens used to be computed on may not be committed). Different voices, languages, rates and
# pitches, plus what real recordings have and the `synth` set does not: background noise (white,
# pink, brown, mains hum), reverb, band limiting, tremolo, and a 16 kHz recording resampled to
# 22.05 kHz by sox (EmoDB is 16 kHz). Exercises tuning estimation, HPSS, the CQT etc. on
# speech-like material.
#
#   scripts/goldens/make-speech-audio.sh [OUT_DIR]     # default tests/fixtures/golden/speech/audio
#
# Deterministic: `sox -R` seeds the noise generators with a fixed number and `-D` turns dither off,
# so the same espeak-ng / sox versions write the same bytes (made with eSpeak NG 1.51, SoX 14.4.2;
# the committed WAVs are the reference, other versions may differ slightly). Run by
# scripts/make-goldens.sh --speech-audio; never by the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-tests/fixtures/golden/speech/audio}"
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y espeak-ng sox)"; exit 1; }
done
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
SOX=(sox -R -D -V1)

# clip LABEL NAME VOICE RATE(words/min) PITCH(0-99) RECORD_SR NOISE NOISE_GAIN_DB EFFECTS TEXT
#   RECORD_SR: the rate the "recording" is made at (16000 = band-limited to 8 kHz, then resampled up)
#   NOISE:     a sox synth type (whitenoise, pinknoise, brownnoise, "sine 50") or none
#   EFFECTS:   sox effects applied at RECORD_SR after the noise is mixed in
clip() {
  local label=$1 name=$2 voice=$3 rate=$4 pitch=$5 rec_sr=$6 noise=$7 noise_db=$8 effects=$9 text=${10}
  local dir="$OUT/$label"
  mkdir -p "$dir"
  espeak-ng -v "$voice" -s "$rate" -p "$pitch" -w "$TMP/voice.wav" "$text"
  # the spoken part at the recording rate, 0.15 s of leading silence, exactly 2.0 s long
  "${SOX[@]}" "$TMP/voice.wav" -r "$rec_sr" -c 1 -b 16 "$TMP/dry.wav" rate -v "$rec_sr" pad 0.15 2 trim 0 2.0 norm -6
  if [ "$noise" != none ]; then
    # shellcheck disable=SC2086
    "${SOX[@]}" -n -r "$rec_sr" -c 1 -b 16 "$TMP/noise.wav" synth 2.0 $noise gain "$noise_db"
    "${SOX[@]}" -m -v 1 "$TMP/dry.wav" -v 1 "$TMP/noise.wav" "$TMP/mixed.wav"
  else
    cp "$TMP/dry.wav" "$TMP/mixed.wav"
  fi
  # shellcheck disable=SC2086
  "${SOX[@]}" "$TMP/mixed.wav" -r 22050 -c 1 -b 16 "$dir/$name.wav" $effects norm -1 rate -v 22050 trim 0 2.0
  echo "$dir/$name.wav: $(soxi -s "$dir/$name.wav") samples at $(soxi -r "$dir/$name.wav") Hz"
}

rm -rf "$OUT"
clip anger     de_m3_fast      de+m3     185 55 16000 whitenoise   -38 "highpass 60"                  "Das muss sofort auf den Tisch, und zwar jetzt gleich!"
clip sadness   en_f3_slow      en-gb+f3  105 30 22050 none          0  "reverb 45 50 80 lowpass 4500" "I will not be coming back here tomorrow"
clip happiness fr_f2_high      fr-fr+f2  170 82 16000 pinknoise    -34 "treble 3"                     "Oh, quelle belle surprise, c'est magnifique!"
clip fear      de_f4_tremolo   de+f4     175 70 22050 brownnoise   -30 "tremolo 7 35 highpass 120"    "Hast du das gehoert? Da ist doch jemand im Keller"
clip neutral   en_m1_telephone en-us+m1  140 40 16000 "sine 50"    -32 "sinc 300-3400"                "The papers are lying on the kitchen table"
