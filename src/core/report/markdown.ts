/** A ReportDoc as Markdown (GitHub-flavoured tables), its images written beside it. */
import fs from 'node:fs';
import path from 'node:path';
import type { Block, ReportDoc } from './doc';

/** Table cells and list items are one line; a pipe would end the cell. */
function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${inline(b.text)}`;
    case 'paragraph':
      return b.text;
    case 'bullets':
      return b.items.map((i) => `- ${inline(i)}`).join('\n');
    case 'table': {
      const align = b.header.map((_, i) => (b.align?.[i] === 'right' ? '---:' : '---'));
      const line = (cells: string[]) => `| ${cells.map(inline).join(' | ')} |`;
      return [line(b.header), `| ${align.join(' | ')} |`, ...b.rows.map(line)].join('\n');
    }
    case 'code': {
      const f = fence(b.text);
      return `${f}\n${b.text}\n${f}`;
    }
    case 'image':
      return `![${inline(b.alt).replace(/[[\]]/g, '')}](${b.file})`;
    case 'callout': {
      const mark = b.tone === 'warning' ? '⚠ ' : '';
      return [`> **${mark}${inline(b.title)}**`, '>', ...b.text.split('\n').map((l) => `> ${l}`)].join('\n');
    }
  }
}

export function markdownText(doc: ReportDoc): string {
  return doc.blocks.map(block).join('\n\n') + '\n';
}

/** Writes the document's images into `outDir` and returns the Markdown that links them, with their paths. */
export function renderMarkdown(doc: ReportDoc, outDir: string): { markdown: string; images: string[] } {
  fs.mkdirSync(outDir, { recursive: true });
  const images: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind !== 'image') continue;
    const file = path.join(outDir, b.file);
    fs.writeFileSync(file, b.png);
    images.push(file);
  }
  return { markdown: markdownText(doc), images };
}
