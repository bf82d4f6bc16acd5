/**
 * What a classify run's predictions say when the true labels are known, and how its files relate to the
 * model's training dataset. Files whose label is one of the model's classes are scored (sklearn's report,
 * train/metrics.ts); files with other labels are counted apart with what they were predicted as. Files
 * with the sha256 of a clip the model trained on are flagged: their predictions are not an honest test.
 */
import type { ClassifyMetrics, Corpus, Evaluation, Prediction, SerModel } from '../../shared/classify';
import { classificationReport } from '../train/metrics';

const classified = (rows: readonly Prediction[]) => rows.filter((r) => r.labelPred !== null);

/**
 * sklearn's classification_report(y_true, y_pred) and confusion_matrix over `rows`: its default labels are the
 * classes that occur as a true or a predicted label (here in the model's order), so a class the test set does
 * not hold and the model never predicts is left out, while one it predicts but never holds scores 0.
 */
function metricsOf(rows: readonly Prediction[], labels: readonly string[]): ClassifyMetrics | null {
  if (!rows.length) return null;
  const present = new Set(rows.flatMap((p) => [p.labelTrue!, p.labelPred!]));
  const used = labels.filter((l) => present.has(l));
  const index = new Map(used.map((l, i) => [l, i]));
  const r = classificationReport(
    rows.map((p) => index.get(p.labelTrue!)!),
    rows.map((p) => index.get(p.labelPred!)!),
    used,
  );
  return {
    files: rows.length,
    accuracy: r.accuracy,
    macroF1: r.macro.f1,
    weightedF1: r.weighted.f1,
    perClass: Object.fromEntries(used.map((l) => [l, r.perClass[l]])),
    confusion: { labels: used, matrix: r.confusion },
  };
}

export function evaluate(
  rows: readonly Prediction[],
  labels: readonly string[],
  labelSource: 'folder' | 'manifest' | null,
  trainingClips: ReadonlySet<string> | null,
): Evaluation | null {
  if (!labelSource) return null;
  const done = classified(rows).filter((r) => r.labelTrue !== null);
  const known = new Set(labels);
  const inClasses = done.filter((r) => known.has(r.labelTrue!));
  const unknown = new Map<string, Prediction[]>();
  for (const r of done) if (!known.has(r.labelTrue!)) unknown.set(r.labelTrue!, [...(unknown.get(r.labelTrue!) ?? []), r]);
  const trained = new Set(trainingClips ? inClasses.filter((r) => r.sha256 !== null && trainingClips.has(r.sha256)) : []);
  return {
    labelSource,
    labelled: done.length,
    known: metricsOf(inClasses, labels),
    unknownLabels: [...unknown.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([label, list]) => ({ label, files: list.length, predicted: countPredicted(list, labels, false) })),
    excludingTrainingClips: trained.size ? metricsOf(inClasses.filter((r) => !trained.has(r)), labels) : null,
  };
}

/** Classified files per predicted class, in label order (`all`: every class, zeros included). */
export function countPredicted(rows: readonly Prediction[], labels: readonly string[], all = true): Record<string, number> {
  const counts = new Map(labels.map((l) => [l, 0]));
  for (const r of classified(rows)) counts.set(r.labelPred!, (counts.get(r.labelPred!) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => all || n > 0));
}

/** The files against the clips the model was trained and validated on (by sha256, so renamed copies count). */
export function corpusOf(rows: readonly Prediction[], card: SerModel): Corpus {
  const dataset = { name: card.dataset.name, hash: card.dataset.hash };
  const read = rows.filter((r) => r.sha256 !== null);
  const { trainingClips, validationClips } = card.dataset;
  if (!trainingClips || !validationClips) {
    return {
      relation: 'unknown',
      dataset,
      inDataset: 0,
      inTraining: 0,
      message: `the model does not record which clips of '${dataset.name}' it was trained on (it predates that record), so whether these files come from its dataset is unknown`,
    };
  }
  if (!read.length) return { relation: 'unknown', dataset, inDataset: 0, inTraining: 0, message: 'no file could be read, so none could be compared with the model\'s dataset' };
  const train = new Set(trainingClips);
  const all = new Set([...trainingClips, ...validationClips]);
  const inDataset = read.filter((r) => all.has(r.sha256!)).length;
  const inTraining = read.filter((r) => train.has(r.sha256!)).length;
  const n = read.length;
  if (inDataset === 0) {
    return {
      relation: 'cross-corpus',
      dataset,
      inDataset,
      inTraining,
      message: `cross-corpus evaluation: the model was trained on '${dataset.name}' and none of these ${n} files is one of its clips (trained on one corpus, tested on another)`,
    };
  }
  const trainedText = inTraining ? `${inTraining} of them trained the model` : 'none of them trained the model (its held-out clips)';
  if (inDataset === n) {
    return { relation: 'same-corpus', dataset, inDataset, inTraining, message: `same corpus: all ${n} files are clips of the model's dataset '${dataset.name}'; ${trainedText}` };
  }
  return {
    relation: 'partly-same-corpus',
    dataset,
    inDataset,
    inTraining,
    message: `${inDataset} of ${n} files are clips of the model's dataset '${dataset.name}' (${trainedText}); the other ${n - inDataset} are not`,
  };
}
