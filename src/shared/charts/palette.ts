// One colour per emotion, the same in every chart and chip of the window and in the reports' images, so a class
// is recognisable at a glance. Known emotion words (and their usual spellings in public corpora) get a fixed hue;
// others a stable one from their name.

const EMOTION_COLOURS: Record<string, string> = {
  anger: '#d94841',
  disgust: '#6a8f2f',
  enthusiasm: '#e8892b',
  fear: '#8458b3',
  happiness: '#e0b321',
  neutral: '#8a94a6',
  sadness: '#3f72c4',
  calm: '#3aa39a',
  surprise: '#d9589c',
  boredom: '#9c7a55',
};

const SYNONYMS: Record<string, string> = {
  angry: 'anger',
  disgusted: 'disgust',
  fearful: 'fear',
  happy: 'happiness',
  joy: 'happiness',
  sad: 'sadness',
  surprised: 'surprise',
  bored: 'boredom',
};

const FALLBACK = ['#2f8fb5', '#b5562f', '#5f6fd1', '#c2477a', '#4d9a5b', '#a07a1e', '#7b5ea7', '#2d9c8c'];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function labelColour(label: string): string {
  const key = label.trim().toLowerCase();
  const known = EMOTION_COLOURS[SYNONYMS[key] ?? key];
  return known ?? FALLBACK[hash(key) % FALLBACK.length];
}

/** The same colour with an alpha, for fills behind text. */
export function tint(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
