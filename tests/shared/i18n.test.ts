import { describe, expect, it } from 'vitest';
import { en } from '../../src/shared/i18n/en';
import { ru } from '../../src/shared/i18n/ru';
import { fixed, formatDecimal, formatDuration, formatInteger, formatPercent, isMessageKey, languageOf, placeholders, t, type MessageKey } from '../../src/shared/i18n';
import { ERROR_CODES } from '../../src/shared/errors';
import { classifyEn } from '../../src/shared/i18n/ui/en/classify';
import { commonEn } from '../../src/shared/i18n/ui/en/common';
import { compareEn } from '../../src/shared/i18n/ui/en/compare';
import { datasetsEn } from '../../src/shared/i18n/ui/en/datasets';
import { experimentsEn } from '../../src/shared/i18n/ui/en/experiments';
import { explorerEn } from '../../src/shared/i18n/ui/en/explorer';
import { classifyRu } from '../../src/shared/i18n/ui/ru/classify';
import { commonRu } from '../../src/shared/i18n/ui/ru/common';
import { compareRu } from '../../src/shared/i18n/ui/ru/compare';
import { datasetsRu } from '../../src/shared/i18n/ui/ru/datasets';
import { experimentsRu } from '../../src/shared/i18n/ui/ru/experiments';
import { explorerRu } from '../../src/shared/i18n/ui/ru/explorer';

const UI_AREAS = { common: commonEn, datasets: datasetsEn, explorer: explorerEn, experiments: experimentsEn, compare: compareEn, classify: classifyEn };
const UI_AREAS_RU = { common: commonRu, datasets: datasetsRu, explorer: explorerRu, experiments: experimentsRu, compare: compareRu, classify: classifyRu };
import { describeProtocolIn, foldsTextIn, outcomeTextIn } from '../../src/shared/i18n/describe';
import { foldsText, outcomeText, EXPERIMENT_STATUSES } from '../../src/shared/outcome';
import { describeProtocol, type ProtocolOutline } from '../../src/shared/protocol';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const templates = (m: string | object): string[] => (typeof m === 'string' ? [m] : (Object.values(m) as string[]));

describe('message catalogues', () => {
  it('have the same keys in English and Russian', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  it('are namespaced', () => {
    for (const key of Object.keys(en)) expect(key).toMatch(/^(common|report|ui)\.[\w.]+$/);
  });

  it('have no key in one language that the other lacks, in either direction (the window’s areas too)', () => {
    const enKeys = new Set(Object.keys(en));
    const ruKeys = new Set(Object.keys(ru));
    expect([...enKeys].filter((k) => !ruKeys.has(k))).toEqual([]);
    expect([...ruKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    for (const [area, e] of Object.entries(UI_AREAS)) {
      const r = UI_AREAS_RU[area as keyof typeof UI_AREAS_RU];
      expect(Object.keys(r).sort(), area).toEqual(Object.keys(e).sort());
    }
  });

  it('give every message a text in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      for (const template of [...templates(en[key]), ...templates(ru[key])]) expect(template.trim(), key).not.toBe('');
    }
  });

  it('give every error code a short title in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(isMessageKey(`ui.error.${code}`), code).toBe(true);
      expect(t('ru', `ui.error.${code}` as MessageKey), code).toMatch(/[а-яё]/i);
    }
    // And no title for a code that does not exist.
    const titled = Object.keys(en).filter((k) => k.startsWith('ui.error.') && k !== 'ui.error.leadIn').map((k) => k.slice('ui.error.'.length));
    expect(titled.sort()).toEqual([...ERROR_CODES].sort());
  });

  it('use the same placeholders in both languages, in every plural form', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const want = placeholders(templates(en[key])[0]);
      for (const template of [...templates(en[key]), ...templates(ru[key])]) expect(placeholders(template), `${key}: ${template}`).toEqual(want);
    }
  });

  it('give Russian plurals all four forms and English plurals one and other', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const e = en[key];
      const r = ru[key];
      if (typeof e === 'string') expect(typeof r, key).toBe('string');
      else {
        expect(Object.keys(e).sort(), key).toEqual(['one', 'other']);
        expect(Object.keys(r).sort(), key).toEqual(['few', 'many', 'one', 'other']);
      }
    }
  });
});

describe('t', () => {
  it('fills placeholders and picks the plural form of each language', () => {
    expect(t('en', 'common.clips', { count: 1 })).toBe('1 clip');
    expect(t('en', 'common.clips', { count: 20 })).toBe('20 clips');
    expect([1, 2, 5, 11, 21, 22, 25].map((count) => t('ru', 'common.clips', { count }))).toEqual([
      '1 запись',
      '2 записи',
      '5 записей',
      '11 записей',
      '21 запись',
      '22 записи',
      '25 записей',
    ]);
    expect(t('ru', 'common.times', { count: 11 })).toBe('11 раз');
    expect(t('ru', 'report.header', { id: 12 })).toBe('SER Studio · эксперимент №12');
  });

  it('takes the language from the system locale until the user chooses one', () => {
    expect(languageOf(['ru-RU', 'en-US'])).toBe('ru');
    expect(languageOf(['de-DE', 'ru'])).toBe('ru');
    expect(languageOf(['en-GB'])).toBe('en');
    expect(languageOf(['fr-FR'])).toBe('en');
    expect(languageOf([])).toBe('en');
  });

  it('refuses a plural message without a count', () => {
    expect(() => t('en', 'common.clips')).toThrow(/count/);
  });
});

describe('number formats', () => {
  it('use a decimal comma in Russian prose and a point in English', () => {
    expect(nbsp(formatPercent('ru', 0.8859))).toBe('88,59 %');
    expect(formatPercent('en', 0.8859)).toBe('88.59%');
    expect(formatDecimal('ru', 0.93634, 3)).toBe('0,936');
    expect(formatDecimal('en', 0.93634, 3)).toBe('0.936');
    expect(nbsp(formatInteger('ru', 84359))).toBe('84 359');
    expect(formatInteger('en', 84359)).toBe('84,359');
  });

  it('keep the reference notation in tables whatever the language', () => {
    expect(fixed(0.92628)).toBe('0.9263');
    expect(fixed(null)).toBe('—');
  });

  it('write durations with the language units', () => {
    expect(formatDuration('en', 1.56)).toBe('1.56 s');
    expect(formatDuration('ru', 1.56)).toBe('1,56 с');
    expect(formatDuration('ru', 110.2)).toBe('1 мин 50 с');
    expect(formatDuration('en', 3725)).toBe('1 h 02 min');
  });
});

describe('protocol and outcome in words', () => {
  const outlines: ProtocolOutline[] = [
    { kind: 'stratified', valFraction: 0.2, seed: 42 },
    { kind: 'leaky', valFraction: 0.25, seed: 7 },
    { kind: 'speaker', valFraction: 0.2, seed: 42 },
    { kind: 'speaker', valFraction: 0.2, seed: 42, heldOutSpeakers: ['03', '14'] },
    { kind: 'kfold', k: 5, seed: 1 },
    { kind: 'kfold', k: 5, seed: 1, fold: 2 },
    { kind: 'speaker-kfold', k: 4, seed: 3 },
    { kind: 'speaker-kfold', k: 4, seed: 3, fold: 0, heldOutSpeakers: ['a', 'b'] },
  ];

  it('are in English exactly what describeProtocol, outcomeText and foldsText write', () => {
    for (const p of outlines) expect(describeProtocolIn('en', p)).toBe(describeProtocol(p));
    for (const status of EXPERIMENT_STATUSES)
      for (const folds of [null, { k: 3, completed: 1 }, { k: 3, completed: 3 }, { k: 2, completed: 0 }]) expect(outcomeTextIn('en', status, folds)).toBe(outcomeText(status, folds));
    for (const folds of [{ k: 3, completed: 3 }, { k: 3, completed: 1 }, { k: 5, completed: 2 }]) expect(foldsTextIn('en', folds)).toBe(foldsText(folds));
  });

  it('have Russian equivalents', () => {
    expect(describeProtocolIn('ru', outlines[0])).toBe('стратифицированная отложенная выборка 80/20, seed 42');
    expect(describeProtocolIn('ru', outlines[3])).toBe('дикторонезависимая отложенная выборка (отложены дикторы 03, 14), seed 42');
    expect(describeProtocolIn('ru', outlines[7])).toBe('4-фолдовая с исключением дикторов (фолд 1: дикторы a, b), seed 3');
    expect(outcomeTextIn('ru', 'cancelled', { k: 3, completed: 1 })).toBe('не завершено: 1 из 3 фолдов (отменено)');
    expect(foldsTextIn('ru', { k: 3, completed: 3 })).toBe('по 3 фолдам');
    expect(foldsTextIn('ru', { k: 3, completed: 1 })).toBe('по 1 из 3 фолдов');
  });
});
