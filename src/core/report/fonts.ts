/**
 * The fonts reports embed: DejaVu Sans (Latin, Cyrillic, Greek; regular and bold) and DejaVu Sans Mono, from
 * the dejavu-fonts-ttf package, so a PDF or chart renders the same on a machine without system fonts.
 * Resolved through Node's module resolution at run time (works from the sources and from the bundled CLI,
 * which keeps npm packages external).
 */
import { createRequire } from 'node:module';

// Not named `require`: electron-vite's ESM shim declares that name in the bundles it builds (report-job.js).
const requireHere = createRequire(import.meta.url);

export const REPORT_FONT_FAMILY = 'DejaVu Sans';

export interface ReportFonts {
  sans: string;
  sansBold: string;
  mono: string;
}

let cached: ReportFonts | null = null;

export function reportFonts(): ReportFonts {
  cached ??= {
    sans: requireHere.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    sansBold: requireHere.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    mono: requireHere.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
  };
  return cached;
}
