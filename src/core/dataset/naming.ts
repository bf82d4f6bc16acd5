/**
 * RAVDESS file names: modality-channel-emotion-intensity-statement-repetition-actor, e.g.
 * 03-01-05-01-02-01-12.wav = audio-only, speech, angry, normal, "dogs", 1st, actor 12.
 * Labels use the same vocabulary as the reference report (anger, fear, ...).
 */
const RAVDESS_EMOTIONS: Record<string, string> = {
  '01': 'neutral',
  '02': 'calm',
  '03': 'happiness',
  '04': 'sadness',
  '05': 'anger',
  '06': 'fear',
  '07': 'disgust',
  '08': 'surprise',
};

export type ParsedName = { label: string; speaker: string } | { error: string };

export function parseRavdessName(fileName: string): ParsedName {
  const stem = fileName.replace(/\.[^.]+$/, '');
  const fields = stem.split('-');
  if (fields.length !== 7 || fields.some((f) => !/^\d{2}$/.test(f))) {
    return { error: `not a RAVDESS name (expected 7 two-digit fields like 03-01-05-01-02-01-12, got '${stem}')` };
  }
  const label = RAVDESS_EMOTIONS[fields[2]];
  if (!label) return { error: `unknown RAVDESS emotion code '${fields[2]}' (expected 01-08)` };
  return { label, speaker: fields[6] };
}
