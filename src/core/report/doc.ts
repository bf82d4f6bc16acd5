/**
 * A report as neutral data: a title and a list of blocks. Builders (an experiment's report, later a batch
 * classification's) produce it; renderers (markdown.ts, pdf.ts) only lay it out, so every report reads the
 * same in both formats.
 */

export type Align = 'left' | 'right';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  /** Numeric columns are right-aligned (`align`, one per column; left by default). */
  | { kind: 'table'; header: string[]; rows: string[][]; align?: Align[] }
  /** Monospace, kept as is (the Keras summary, a configuration). */
  | { kind: 'code'; text: string }
  /** A PNG written beside the Markdown as `file`; width/height in pixels. */
  | { kind: 'image'; file: string; alt: string; png: Uint8Array; width: number; height: number }
  | { kind: 'callout'; tone: 'warning' | 'note'; title: string; text: string };

export interface ReportDoc {
  title: string;
  /** The running header of every PDF page ("SER Studio · experiment #12"). */
  header: string;
  /** The page-number line, with {page} and {pages} ("Page {page} of {pages}"). */
  pageLabel: string;
  /** BCP 47 language of the text, recorded in the PDF. */
  lang: string;
  blocks: Block[];
}

/** Collects blocks in order; keeps the builders short. */
export class DocBuilder {
  readonly blocks: Block[] = [];

  heading(level: 1 | 2 | 3, text: string): this {
    this.blocks.push({ kind: 'heading', level, text });
    return this;
  }

  paragraph(text: string): this {
    this.blocks.push({ kind: 'paragraph', text });
    return this;
  }

  bullets(items: (string | null | undefined | false)[]): this {
    const kept = items.filter((i): i is string => typeof i === 'string' && i.length > 0);
    if (kept.length) this.blocks.push({ kind: 'bullets', items: kept });
    return this;
  }

  table(header: string[], rows: string[][], align?: Align[]): this {
    this.blocks.push({ kind: 'table', header, rows, ...(align ? { align } : {}) });
    return this;
  }

  code(text: string): this {
    this.blocks.push({ kind: 'code', text });
    return this;
  }

  image(image: { file: string; alt: string; png: Uint8Array; width: number; height: number }): this {
    this.blocks.push({ kind: 'image', ...image });
    return this;
  }

  callout(tone: 'warning' | 'note', title: string, text: string): this {
    this.blocks.push({ kind: 'callout', tone, title, text });
    return this;
  }
}
