import { createCanvas, loadImage } from '@napi-rs/canvas';
import { extractText, getDocumentProxy } from 'unpdf';

/** A PDF's text as a reader would select it (pdf.js, not poppler: nothing to install). Whitespace runs become one space. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: true });
  return text.replace(/[\s\u00a0\u202f]+/g, ' ');
}

export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: false });
  return text.map((t) => t.replace(/[\s\u00a0\u202f]+/g, ' '));
}

type Rgb = [number, number, number];

/** Decoded PNG facts: size, distinct colours, and how much of a region is not white paper. */
export async function pngStats(png: Uint8Array) {
  const image = await loadImage(Buffer.from(png));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  const at = (x: number, y: number): Rgb => {
    const i = (y * image.width + x) * 4;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return {
    width: image.width,
    height: image.height,
    colours: colours.size,
    /** Share of pixels in the (fractional) box that are not near-white. */
    inkShare(box: { x0: number; y0: number; x1: number; y1: number }): number {
      let ink = 0;
      let n = 0;
      for (let y = Math.floor(box.y0 * image.height); y < box.y1 * image.height; y += 2)
        for (let x = Math.floor(box.x0 * image.width); x < box.x1 * image.width; x += 2) {
          const [r, g, b] = at(x, y);
          n++;
          if (r < 235 || g < 235 || b < 235) ink++;
        }
      return ink / n;
    },
    has(test: (rgb: Rgb) => boolean): boolean {
      for (let i = 0; i < data.length; i += 4) if (test([data[i], data[i + 1], data[i + 2]])) return true;
      return false;
    },
  };
}
