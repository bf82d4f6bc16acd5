/**
 * What every section of an experiment's report shares: the stored facts, the run's configuration as the
 * contract reads it, and the reader's language with its number formats.
 */
import { TrainRequestSchema, type TrainConfig } from '../../shared/experiment';
import { formatDecimal, formatPercent, t, type Lang, type MessageKey, type Params } from '../../shared/i18n';
import { describeProtocolIn } from '../../shared/i18n/describe';
import type { ExperimentFacts } from './facts';

export interface ReportContext {
  lang: Lang;
  facts: ExperimentFacts;
  /** The stored configuration with today's defaults for settings older runs did not record. */
  config: TrainConfig;
  /** Class names in model output order. */
  labels: string[];
  isCrossValidation: boolean;
  tr: (key: MessageKey, params?: Params) => string;
  /** A score in prose: "0.8859" / "0,8859". */
  num: (value: number, digits?: number) => string;
  /** A share in prose: "88.59%" / "88,59 %". */
  pct: (value: number, digits?: number) => string;
}

/** Only the keys the contract knows (a newer version may store more), parsed with its defaults. */
export function storedConfig(config: Record<string, unknown>, dataset: string): TrainConfig {
  const known = Object.fromEntries(Object.entries(config).filter(([k]) => k in TrainRequestSchema.shape));
  const parsed = TrainRequestSchema.safeParse({ dataset, ...known });
  if (parsed.success) return parsed.data;
  // A value outside today's ranges: keep the defaults for what does not parse, one setting at a time.
  const base = TrainRequestSchema.parse({ dataset });
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(known)) if (TrainRequestSchema.safeParse({ ...merged, [k]: v }).success) merged[k] = v;
  return TrainRequestSchema.parse(merged);
}

export function reportContext(lang: Lang, facts: ExperimentFacts): ReportContext {
  const d = facts.detail;
  const labels = d.perClass.length ? d.perClass.map((c) => c.label) : Object.keys(facts.dataset?.classes ?? {}).sort();
  return {
    lang,
    facts,
    config: storedConfig(d.config, d.dataset),
    labels,
    isCrossValidation: d.foldsSummary !== null || facts.folds.length > 0,
    tr: (key, params) => t(lang, key, params),
    num: (value, digits = 4) => formatDecimal(lang, value, digits),
    pct: (value, digits = 2) => formatPercent(lang, value, digits),
  };
}

/** The protocol line in the reader's language, or the stored English text for shapes we cannot read back. */
export function protocolLine(c: ReportContext): string {
  return c.facts.protocol ? describeProtocolIn(c.lang, c.facts.protocol) : c.facts.detail.protocol;
}
