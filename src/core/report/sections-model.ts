/** The model half of the reference's report: architecture, feature extraction and augmentations. */
import { formatInteger } from '../../shared/i18n';
import type { FeatureBlock } from '../../shared/params';
import { FEATURE_ALGORITHM_VERSION, featureDims, presetOf, resolveFeatureConfig } from '../features/config';
import { architecture, featureBlockRows, kerasSummary, readableSize } from './architecture';
import type { ReportContext } from './context';
import type { DocBuilder } from './doc';

export function architectureSection(b: DocBuilder, c: ReportContext): void {
  const { config, tr } = c;
  const inputDim = featureDims(resolveFeatureConfig(config.features));
  const arch = architecture({
    inputDim,
    nClasses: Math.max(1, c.labels.length),
    hidden: config.hidden,
    activation: config.activation,
    dropout: config.dropout,
    seed: config.seed,
  });
  b.heading(2, tr('report.section.architecture'));
  b.paragraph(
    tr('report.arch.summary', {
      inputs: inputDim,
      hidden: config.hidden.join('-'),
      activation: config.activation,
      dropout: config.dropout > 0 ? tr('report.arch.dropout', { rate: c.num(config.dropout, 1) }) : '',
      classes: tr('common.classes', { count: c.labels.length }),
      total: formatInteger(c.lang, arch.total),
      size: readableSize(arch.total * 4),
    }),
  );
  b.paragraph(
    tr('report.arch.training', {
      lr: String(config.learningRate),
      batch: config.batchSize,
      epochs: config.epochs,
      stopping: config.patience > 0 ? tr('report.arch.earlyStopping', { patience: config.patience }) : tr('report.arch.noEarlyStopping'),
    }),
  );
  b.table(
    [tr('report.arch.layer'), tr('report.arch.shape'), tr('report.arch.params')],
    [...arch.layers.map((l) => [`${l.name} (${l.type})`, `(None, ${l.units})`, String(l.params)]), [tr('report.arch.total'), '', String(arch.total)]],
    ['left', 'left', 'right'],
  );
  b.code(kerasSummary(arch));
}

/** The run's feature preset and its dimension (runs from before presets are reference-166). */
function presetLine({ config, tr }: ReportContext): string {
  const features = resolveFeatureConfig(config.features);
  if (!features.preset) return tr('report.features.presetReference');
  return tr('report.features.presetExtended', { name: presetOf(features), version: features.presetVersion ?? 1, count: featureDims(features) });
}

const BLOCK_KEY = {
  chroma: 'report.features.chroma',
  mel: 'report.features.mel',
  contrast: 'report.features.contrast',
  tonnetz: 'report.features.tonnetz',
} as const satisfies Record<Exclude<FeatureBlock, 'mfcc'>, string>;

export function featuresSection(b: DocBuilder, c: ReportContext): void {
  const { config, tr } = c;
  const blocks = featureBlockRows(config.features);
  b.heading(2, tr('report.section.features'));
  b.bullets([
    ...blocks.map(({ block, rows }) => (block === 'mfcc' ? tr('report.features.mfcc', { count: rows }) : tr(BLOCK_KEY[block], { count: rows }))),
    tr('report.features.concat', { count: blocks.reduce((a, x) => a + x.rows, 0) }),
    tr('report.features.audio', { rate: formatInteger(c.lang, config.features.sampleRate), algorithm: String(c.facts.detail.versions.features ?? FEATURE_ALGORITHM_VERSION) }),
    presetLine(c),
    tr(config.normalize === 'speaker' ? 'report.features.normSpeaker' : 'report.features.normGlobal'),
  ]);

  b.heading(3, tr('report.section.augmentations'));
  const used = config.copies > 0 ? config.augment : [];
  if (!used.length) {
    b.bullets([tr('report.aug.none')]);
    return;
  }
  b.bullets([
    ...used.map((name) => tr(`report.aug.${name}`)),
    config.leaky
      ? tr('report.aug.copiesLeaky', { count: config.copies })
      : tr('report.aug.copies', { count: config.copies, policy: tr(config.copyPolicy === 'random' ? 'report.aug.random' : 'report.aug.cycle') }),
  ]);
}
