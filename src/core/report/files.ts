/**
 * Where exported reports live and the one gate every route that serves them passes (the web bridge's /reports/,
 * Electron's ser-report:). Only fs and path: the Electron main process imports this, not the report engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPORTS_DIR, reportFileType } from '../../shared/report-params';

export function reportsRoot(workspaceDir: string): string {
  return path.join(path.resolve(workspaceDir), REPORTS_DIR);
}

/**
 * The file a route may serve for `rel` (as ExportedReportFile.path gives it), or null: only a regular file of a
 * report type, inside the reports folder once links are resolved. No '..', no absolute path, no hidden name.
 */
export function resolveReportFile(workspaceDir: string, rel: string): { file: string; mime: string } | null {
  if (!rel || rel.length > 512 || rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/');
  if (parts.some((p) => !p || p === '.' || p === '..' || p.startsWith('.'))) return null;
  const type = reportFileType(parts[parts.length - 1]);
  if (!type) return null;
  const root = reportsRoot(workspaceDir);
  let real: string;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
    real = fs.realpathSync(path.join(root, ...parts));
  } catch {
    return null;
  }
  if (!real.startsWith(realRoot + path.sep) || !fs.statSync(real).isFile()) return null;
  return { file: real, mime: type.mime };
}
