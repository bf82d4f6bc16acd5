import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocBuilder, type ReportDoc } from '../../../src/core/report/doc';
import { markdownText, renderMarkdown } from '../../../src/core/report/markdown';
import { renderPdf } from '../../../src/core/report/pdf';
import { columnWidths } from '../../../src/core/report/pdf-table';
import { rgbPng } from '../../../src/core/report/charts/png';
import { tempDir } from '../../helpers/make-wav';
import { pdfPages, pngStats } from './helpers';

function doc(build: (b: DocBuilder) => void): ReportDoc {
  const b = new DocBuilder();
  build(b);
  return { title: 'Тестовый отчёт', header: 'SER Studio · test', pageLabel: 'Page {page} of {pages}', lang: 'ru', blocks: b.blocks };
}

/** A 40 × 30 PNG, red left half, for image blocks. */
function smallPng(): Uint8Array {
  const w = 40;
  const h = 30;
  const rgba = new Uint8Array(w * h * 4).fill(255);
  for (let y = 0; y < h; y++) for (let x = 0; x < w / 2; x++) rgba.set([220, 40, 40, 255], (y * w + x) * 4);
  return rgbPng(w, h, rgba);
}

describe('renderMarkdown', () => {
  it('writes headings, lists, right-aligned numeric columns, code, callouts and image links', () => {
    const text = markdownText(
      doc((b) =>
        b
          .heading(1, 'Отчёт')
          .paragraph('Текст.')
          .bullets(['one', null, 'two | three'])
          .table(['Class', 'F1'], [['a|b', '0.5000']], ['left', 'right'])
          .code('```\nx')
          .callout('warning', 'Leaky', 'inflated')
          .image({ file: 'chart.png', alt: 'A [chart]', png: smallPng(), width: 40, height: 30 }),
      ),
    );
    expect(text).toBe(
      [
        '# Отчёт',
        'Текст.',
        '- one\n- two \\| three',
        '| Class | F1 |\n| --- | ---: |\n| a\\|b | 0.5000 |',
        '````\n```\nx\n````',
        '> **⚠ Leaky**\n>\n> inflated',
        '![A chart](chart.png)',
      ].join('\n\n') + '\n',
    );
  });

  it('writes the images beside the Markdown', async () => {
    const dir = path.join(tempDir('md-out'), 'new');
    const { images } = renderMarkdown(doc((b) => b.image({ file: 'chart.png', alt: 'c', png: smallPng(), width: 40, height: 30 })), dir);
    expect(images).toEqual([path.join(dir, 'chart.png')]);
    const stats = await pngStats(fs.readFileSync(images[0]));
    expect([stats.width, stats.height]).toEqual([40, 30]);
    expect(stats.has(([r, g, b]) => r === 220 && g === 40 && b === 40)).toBe(true);
  });
});

describe('renderPdf', () => {
  it('never splits a table row and repeats the header on every page the table reaches', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`строка ${i + 1}`, i % 7 === 0 ? 'длинный текст, который переносится на несколько строк в узкой колонке '.repeat(3) : 'x', (i / 3).toFixed(4)]);
    const pages = await pdfPages(await renderPdf(doc((b) => b.heading(1, 'Таблица').table(['Имя', 'Описание', 'Число'], rows, ['left', 'left', 'right']))));
    expect(pages.length).toBeGreaterThan(3);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain('Имя Описание Число');
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain('SER Studio · test');
    }
    // Every row on exactly one page, whole (its number and its last cell together).
    for (const [i, row] of rows.entries()) {
      const on = pages.filter((p) => new RegExp(`строка ${i + 1} `).test(p));
      expect(on, row[0]).toHaveLength(1);
      expect(on[0]).toMatch(new RegExp(`строка ${i + 1} .*?${row[2].replace('.', '\\.')}`));
    }
  });

  it('splits a long code block between lines only, and moves an image that does not fit to the next page', async () => {
    const code = Array.from({ length: 160 }, (_, i) => `line ${String(i + 1).padStart(3, '0')} ${'·'.repeat(20)}`).join('\n');
    const pdf = await renderPdf(
      doc((b) => {
        b.code(code);
        b.image({ file: 'a.png', alt: 'a', png: smallPng(), width: 40, height: 30 });
        b.paragraph('после картинки');
      }),
    );
    const pages = await pdfPages(pdf);
    const all = pages.join(' ');
    for (let i = 1; i <= 160; i++) expect(all.match(new RegExp(`line ${String(i).padStart(3, '0')} `, 'g')), `line ${i}`).toHaveLength(1);
    expect(pages.at(-1)).toContain('после картинки');
  });

  it('embeds the fonts: Cyrillic text extracts as written', async () => {
    const pages = await pdfPages(await renderPdf(doc((b) => b.heading(2, 'Матрица ошибок').bullets(['Точность: 88,59 %', 'Ёжик в тумане']))));
    expect(pages[0]).toContain('Матрица ошибок');
    expect(pages[0]).toContain('Точность: 88,59 %');
    expect(pages[0]).toContain('Ёжик в тумане');
  });
});

describe('columnWidths', () => {
  it('spreads narrow tables over the width and caps the widest columns of wide ones', () => {
    expect(columnWidths([50, 50], 200)).toEqual([100, 100]);
    const capped = columnWidths([40, 300, 400], 440);
    expect(capped[0]).toBe(40);
    expect(capped.reduce((a, b) => a + b, 0)).toBeCloseTo(440, 3);
    expect(capped[1]).toBeCloseTo(capped[2], 3);
  });
});
