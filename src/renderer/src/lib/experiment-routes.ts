// Hash routes of the experiments pages (kept apart from router.svelte.ts so they can be tested without a window).

export type ExperimentRoute =
  | { page: 'experiments'; datasetId?: number }
  | { page: 'experiment-new'; datasetId?: number }
  | { page: 'experiment-live'; requestId: string }
  | { page: 'experiment'; id: number };

export function parseExperimentRoute(hash: string): ExperimentRoute | null {
  const m = /^#\/experiments(?:\/([^?]*))?\/?(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  const [, rest = '', query = ''] = m;
  const dataset = Number(new URLSearchParams(query).get('dataset'));
  const datasetId = Number.isInteger(dataset) && dataset > 0 ? dataset : undefined;
  const withDataset = <T extends object>(r: T) => (datasetId ? { ...r, datasetId } : r);
  if (rest === '') return withDataset({ page: 'experiments' as const });
  if (rest === 'new') return withDataset({ page: 'experiment-new' as const });
  const live = /^live\/([A-Za-z0-9_-]{1,64})$/.exec(rest);
  if (live) return { page: 'experiment-live', requestId: live[1] };
  if (/^\d+$/.test(rest) && Number(rest) > 0) return { page: 'experiment', id: Number(rest) };
  return { page: 'experiments' };
}

export function experimentHref(route: ExperimentRoute): string {
  switch (route.page) {
    case 'experiments':
      return `#/experiments${route.datasetId ? `?dataset=${route.datasetId}` : ''}`;
    case 'experiment-new':
      return `#/experiments/new${route.datasetId ? `?dataset=${route.datasetId}` : ''}`;
    case 'experiment-live':
      return `#/experiments/live/${route.requestId}`;
    case 'experiment':
      return `#/experiments/${route.id}`;
  }
}
