// Names and defaults of batch classification, as plain data (no zod: the renderer imports these values).
// The schemas in classify.ts, the engine, the CLI's usage text and (later) the classify page read them here.
import { EXPERIMENT_STATUSES } from './outcome';

/** What a folder's audio files are recognised by; any other file is skipped and listed with the reason. */
export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.mp3', '.ogg', '.opus', '.oga'] as const;

export function isAudioFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return AUDIO_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Where the files to classify come from. */
export const CLASSIFY_SOURCE_KINDS = ['folder', 'manifest', 'files'] as const;
export type ClassifySourceKind = (typeof CLASSIFY_SOURCE_KINDS)[number];

/** A classify run ends like an experiment: completed, cancelled, interrupted (its process died) or failed. */
export const CLASSIFY_STATUSES = EXPERIMENT_STATUSES;

export const CLASSIFY_DEFAULTS = {
  backend: 'auto',
  /** Rows per tfjs predict call. */
  batchSize: 256,
} as const;

export const CLASSIFY_LIMITS = {
  batchSize: { integer: true, min: 1, max: 65_536 },
} as const;

/**
 * The shortest clip worth classifying: one analysis frame (the STFT's n_fft of 2048 samples at the model's
 * feature sample rate, 93 ms at 22050 Hz). Shorter clips are mostly padding; librosa itself warns on them.
 */
export const ANALYSIS_FRAME_SAMPLES = 2048;

/**
 * How the files relate to the model's training dataset (known from the clips' sha256 recorded in the model):
 * none of them is one of its clips (cross-corpus), all are, some are, or the model does not say.
 */
export const CORPUS_RELATIONS = ['cross-corpus', 'same-corpus', 'partly-same-corpus', 'unknown'] as const;
export type CorpusRelation = (typeof CORPUS_RELATIONS)[number];

/** The files of a model folder (tfjs layers model + our card). */
export const MODEL_FILES = { modelJson: 'model.json', weights: 'weights.bin', card: 'ser-model.json' } as const;

/** ser-model.json's format tag and version; a newer version is refused by an older SER Studio. */
export const SER_MODEL_FORMAT = 'ser-studio-model';
export const SER_MODEL_VERSION = 1;

/** How the window pages a run's predictions: sort keys, which rows, and the page size. */
export const PREDICTION_SORTS = ['input', 'file', 'predicted', 'true', 'confidence'] as const;
export type PredictionSort = (typeof PREDICTION_SORTS)[number];
/** 'classified': rows with a prediction; 'failed': files that could not be classified (with a code and a sentence). */
export const PREDICTION_OUTCOMES = ['all', 'classified', 'failed'] as const;
export type PredictionOutcome = (typeof PREDICTION_OUTCOMES)[number];
export const PREDICTION_PAGE = { default: 100, max: 1000 } as const;

/** What a run's results are exported as from the window (the same files as `classify --out`). */
export const CLASSIFY_EXPORT_FORMATS = ['csv', 'json'] as const;
export type ClassifyExportFormat = (typeof CLASSIFY_EXPORT_FORMATS)[number];
