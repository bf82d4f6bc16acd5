// Hash routes of the classify pages (kept apart from router.svelte.ts so they can be tested without a window).

export type ClassifyRoute = { page: 'classify'; experimentId?: number } | { page: 'classify-run'; id: number };

export function parseClassifyRoute(hash: string): ClassifyRoute | null {
  const m = /^#\/classify(?:\/([^?]*))?\/?(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  const [, rest = '', query = ''] = m;
  if (/^\d+$/.test(rest) && Number(rest) > 0) return { page: 'classify-run', id: Number(rest) };
  const experiment = Number(new URLSearchParams(query).get('experiment'));
  return Number.isInteger(experiment) && experiment > 0 && rest === '' ? { page: 'classify', experimentId: experiment } : { page: 'classify' };
}

export function classifyHref(route: ClassifyRoute): string {
  return route.page === 'classify-run' ? `#/classify/${route.id}` : `#/classify${route.experimentId ? `?experiment=${route.experimentId}` : ''}`;
}
