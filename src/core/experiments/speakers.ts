/**
 * Accuracy per held-out speaker, the number a speaker-independent protocol is about: how the model does on a
 * voice it never heard, speaker by speaker (one bad speaker hides in the pooled accuracy).
 */
import type { SpeakerScore } from '../../shared/experiment';
import type { RowRef } from './rows';

/** Validation clips of each speaker and how many were predicted right, in speaker order. */
export function speakerScores(
  val: readonly RowRef[],
  yTrue: ArrayLike<number>,
  predicted: ArrayLike<number>,
  clipSpeakers: readonly (string | null)[],
): SpeakerScore[] {
  const bySpeaker = new Map<string, SpeakerScore>();
  val.forEach((row, i) => {
    const speaker = clipSpeakers[row.clip] ?? '';
    const s = bySpeaker.get(speaker) ?? { speaker, clips: 0, correct: 0 };
    s.clips++;
    if (predicted[i] === yTrue[i]) s.correct++;
    bySpeaker.set(speaker, s);
  });
  return [...bySpeaker.values()].sort((a, b) => a.speaker.localeCompare(b.speaker, 'en', { numeric: true }));
}
