// Pure helpers of the classify pages: a live run as a fold over its progress events, its progress line, which
// recorded experiments can classify (a completed run, or a completed fold of a cross-validation), and a run's facts
// in the window's language (its model, source, corpus and notices, which the engine's rows hold in English).
import type { ClassifyEnd, ClassifyProgress, ClassifyRunDetail, ClassifyRunSummary, ErrorInfo } from './classify-types';
import type { ExperimentSummary } from './experiment-types';
import type { CorpusRelation } from '../../../shared/classify-params';
import { errorInfoText } from './api';
import { formatEta, formatPct, formatScore, protocolText } from './experiments';
import { dec, lang, num, t, type MessageKey } from './i18n';

export type ClassifyPhase = 'starting' | 'reading' | 'features' | 'inference' | 'finished';

export interface ClassifyState {
  phase: ClassifyPhase;
  /** Known once the engine has recorded the run (its first event). */
  runId: number | null;
  reading: { done: number; total: number } | null;
  features: { done: number; total: number; cached: number; clipsPerSec: number; etaSec: number | null } | null;
  inference: { done: number; total: number } | null;
  message: string;
  end: ClassifyEnd | null;
  error: ErrorInfo | null;
  cancelling: boolean;
}

export function initialClassifyState(): ClassifyState {
  return { phase: 'starting', runId: null, reading: null, features: null, inference: null, message: '', end: null, error: null, cancelling: false };
}

/** The next state; never mutates `state`. */
export function reduceClassify(state: ClassifyState, p: ClassifyProgress): ClassifyState {
  if (state.phase === 'finished') return state;
  switch (p.phase) {
    case 'started':
      return { ...state, runId: p.runId };
    case 'status':
      return { ...state, message: p.message };
    case 'reading':
      return { ...state, phase: 'reading', reading: { done: p.done, total: p.total } };
    case 'features':
      return { ...state, phase: 'features', features: { done: p.done, total: p.total, cached: p.cached, clipsPerSec: p.clipsPerSec, etaSec: p.etaSec } };
    case 'inference':
      return { ...state, phase: 'inference', inference: { done: p.done, total: p.total } };
  }
}

export function finishClassify(state: ClassifyState, end: { result?: ClassifyEnd; error?: ErrorInfo }): ClassifyState {
  return { ...state, phase: 'finished', runId: end.result?.runId ?? state.runId, end: end.result ?? null, error: end.error ?? null, cancelling: false };
}

const share = (x: { done: number; total: number } | null) => (x && x.total ? x.done / x.total : 0);

/** Reading and hashing is quick, feature extraction is the run, inference a short tail. */
export function classifyFraction(s: ClassifyState): number | null {
  switch (s.phase) {
    case 'starting':
      return null;
    case 'reading':
      return 0.1 * share(s.reading);
    case 'features':
      return 0.1 + 0.85 * share(s.features);
    case 'inference':
      return 0.95 + 0.05 * share(s.inference);
    case 'finished':
      return 1;
  }
}

export function classifyProgressText(s: ClassifyState): string {
  switch (s.phase) {
    case 'starting':
      return s.message && lang() === 'en' ? s.message : t('ui.classify.progress.starting');
    case 'reading':
      return t('ui.classify.progress.reading', { done: num(s.reading!.done), total: num(s.reading!.total) });
    case 'features': {
      const f = s.features!;
      const cached = f.cached ? t('ui.classify.progress.cached', { cached: num(f.cached) }) : '';
      const rate = f.clipsPerSec > 0 ? ` · ${t('ui.unit.clipsPerSecond', { value: dec(f.clipsPerSec, 1) })}` : '';
      const eta = f.etaSec !== null ? ` · ${t('ui.classify.eta', { eta: formatEta(f.etaSec) })}` : '';
      return `${t('ui.classify.progress.features', { done: num(f.done), total: num(f.total), cached })}${rate}${eta}`;
    }
    case 'inference':
      return t('ui.classify.progress.inference', { done: num(s.inference!.done), total: num(s.inference!.total) });
    case 'finished':
      // The engine's sentence as it wrote it; another language gets its code's title first.
      if (s.error) return t('ui.classify.progress.stopped', { message: lang() === 'en' ? s.error.message : errorInfoText(s.error) });
      return s.end?.status === 'cancelled' ? t('ui.classify.progress.cancelled') : t('ui.classify.progress.finished');
  }
}

/** The live phase in a few words ("extracting features"). */
export function classifyPhaseText(phase: ClassifyPhase): string {
  return t(`ui.classify.phase.${phase}`);
}

/** A model the form offers: a completed run, or a cross-validation with the completed folds to choose from. */
export interface ModelChoice {
  id: number;
  label: string;
  leaky: boolean;
  /** 0-based folds with a model (empty for a hold-out run). */
  folds: { fold: number; experimentId: number; label: string }[];
}

const accuracySuffix = (v: number | null) => (v === null ? '' : ` · ${formatPct(v)}`);

export function modelChoices(experiments: readonly ExperimentSummary[]): ModelChoice[] {
  const choices: ModelChoice[] = [];
  for (const e of experiments) {
    if (e.parentId !== null) continue;
    const folds = experiments
      .filter((c) => c.parentId === e.id && c.status === 'completed' && c.fold !== null)
      .sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0))
      .map((c) => ({ fold: c.fold!, experimentId: c.id, label: `${t('ui.classify.foldChoice', { fold: c.fold! + 1 })}${accuracySuffix(c.accuracy)}` }));
    const isParent = e.folds !== null || folds.length > 0;
    if (isParent ? !folds.length : e.status !== 'completed') continue;
    choices.push({ id: e.id, label: `#${e.id} · ${e.dataset} · ${protocolText(e)}${isParent ? '' : accuracySuffix(e.accuracy)}`, leaky: e.leaky, folds });
  }
  return choices;
}

const CORPUS_SHORT: Record<CorpusRelation, MessageKey> = {
  'cross-corpus': 'ui.classify.corpusShort.crossCorpus',
  'same-corpus': 'ui.classify.corpusShort.sameCorpus',
  'partly-same-corpus': 'ui.classify.corpusShort.partlySameCorpus',
  unknown: 'ui.classify.corpusShort.unknown',
};

/** The corpus relation in a few words, for the list ("cross-corpus", "same corpus"). */
export function corpusShortText(relation: CorpusRelation): string {
  return t(CORPUS_SHORT[relation]);
}

/** A listed run's model: "experiment #4 (demo)", or a model folder from elsewhere with the dataset it trained on. */
export function runModelText(r: Pick<ClassifyRunSummary, 'experimentId' | 'model' | 'modelDataset' | 'modelPath'>): string {
  if (r.experimentId !== null) {
    return r.modelDataset !== null ? t('ui.classify.modelExperiment', { id: r.experimentId, dataset: r.modelDataset }) : t('ui.classify.modelExperimentBare', { id: r.experimentId });
  }
  return r.modelDataset !== null ? t('ui.classify.modelFolder', { path: r.modelPath, dataset: r.modelDataset }) : r.modelPath;
}

/** A listed run's source: "folder /data/emodb", "manifest /tmp/x.csv", "3 files". */
export function runSourceText(r: Pick<ClassifyRunSummary, 'sourceKind' | 'source' | 'sourcePath'>): string {
  if (r.sourceKind === 'folder' && r.sourcePath !== null) return t('ui.classify.sourceFolder', { path: r.sourcePath });
  if (r.sourceKind === 'manifest' && r.sourcePath !== null) return t('ui.classify.sourceManifest', { path: r.sourcePath });
  const files = /^(\d+) file/.exec(r.source);
  return files ? t('ui.classify.files', { count: Number(files[1]) }) : r.source;
}

type RunFacts = Pick<ClassifyRunDetail, 'corpus' | 'evaluation'>;

/**
 * The files against the model's training dataset, in words, from the run's numbers (the engine's row holds the
 * same in English): cross-corpus, the same corpus, partly, or unknown (no record of the training clips, or no file read).
 */
export function corpusText(run: RunFacts): string {
  const { relation, dataset, inDataset, inTraining } = run.corpus;
  const trained = inTraining ? t('ui.classify.corpus.trained', { n: num(inTraining) }) : t('ui.classify.corpus.untrained');
  switch (relation) {
    case 'cross-corpus':
      return t('ui.classify.corpus.cross', { dataset: dataset.name });
    case 'same-corpus':
      return t('ui.classify.corpus.same', { count: inDataset, dataset: dataset.name, trained });
    case 'partly-same-corpus':
      return t('ui.classify.corpus.partly', { count: inDataset, dataset: dataset.name, trained });
    case 'unknown':
      return run.corpus.message.startsWith('no file could be read') ? t('ui.classify.corpus.unread') : t('ui.classify.corpus.unrecorded', { dataset: dataset.name });
  }
}

/** A notice of the run in the window's language; one the window does not know stays the engine's sentence (`en`). */
export function noticeText(notice: string, run: RunFacts): { text: string; en: boolean } {
  if (/^\d+ file\(s\) are clips this model was trained on/.test(notice)) {
    const honest = run.evaluation?.excludingTrainingClips;
    const rest = honest
      ? t('ui.classify.notice.honest', { files: t('ui.classify.files', { count: honest.files }), accuracy: formatScore(honest.accuracy), f1: formatScore(honest.macroF1) })
      : '.';
    return { text: t('ui.classify.notice.trainingClips', { count: run.corpus.inTraining, honest: rest }), en: false };
  }
  const model = /^Experiment (\d+)'s model (was trained before SER Studio recorded model hashes|had no (\S+) \(trained by an older SER Studio\))/.exec(notice);
  if (model) {
    const id = Number(model[1]);
    return { text: model[3] ? t('ui.classify.notice.card', { id, file: model[3] }) : t('ui.classify.notice.hashed', { id }), en: false };
  }
  return { text: notice, en: lang() !== 'en' };
}
