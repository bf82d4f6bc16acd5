// Hash routes of the experiments pages (kept apart from router.svelte.ts so they can be tested without a window).

export type ExperimentRoute =
  | { page: 'experiments'; datasetId?: number }
  /** `from`: a recorded run whose configuration pre-fills the form (edit a copy). */
  | { page: 'experiment-new'; datasetId?: number; from?: number }
  | { page: 'experiment-live'; requestId: string }
  /** A seed queue ("Repeat with N seeds") followed as a whole. */
  | { page: 'experiment-seeds'; requestId: string }
  | { page: 'experiment'; id: number }
  /** Runs side by side, in the order given (`#/compare/3,7,9`). */
  | { page: 'compare'; ids: number[] };

/** Most runs a comparison shows side by side. */
export const MAX_COMPARED = 12;

const positive = (text: string | null): number | undefined => {
  const n = Number(text);
  return text && /^\d+$/.test(text) && n > 0 ? n : undefined;
};

export function parseExperimentRoute(hash: string): ExperimentRoute | null {
  const compare = /^#\/compare\/([^?]*)$/.exec(hash);
  if (compare) {
    const ids = [...new Set(compare[1].split(',').map((t) => positive(t.trim())))].filter((n): n is number => n !== undefined);
    return ids.length ? { page: 'compare', ids: ids.slice(0, MAX_COMPARED) } : { page: 'experiments' };
  }
  const m = /^#\/experiments(?:\/([^?]*))?\/?(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  const [, rest = '', query = ''] = m;
  const params = new URLSearchParams(query);
  const datasetId = positive(params.get('dataset'));
  const withDataset = <T extends object>(r: T) => (datasetId ? { ...r, datasetId } : r);
  if (rest === '') return withDataset({ page: 'experiments' as const });
  if (rest === 'new') {
    const from = positive(params.get('from'));
    return from ? { ...withDataset({ page: 'experiment-new' as const }), from } : withDataset({ page: 'experiment-new' as const });
  }
  const live = /^live\/([A-Za-z0-9_-]{1,64})$/.exec(rest);
  if (live) return { page: 'experiment-live', requestId: live[1] };
  const seeds = /^seeds\/([A-Za-z0-9_-]{1,64})$/.exec(rest);
  if (seeds) return { page: 'experiment-seeds', requestId: seeds[1] };
  if (/^\d+$/.test(rest) && Number(rest) > 0) return { page: 'experiment', id: Number(rest) };
  return { page: 'experiments' };
}

export function experimentHref(route: ExperimentRoute): string {
  switch (route.page) {
    case 'experiments':
      return `#/experiments${route.datasetId ? `?dataset=${route.datasetId}` : ''}`;
    case 'experiment-new': {
      const query = [route.datasetId ? `dataset=${route.datasetId}` : '', route.from ? `from=${route.from}` : ''].filter(Boolean).join('&');
      return `#/experiments/new${query ? `?${query}` : ''}`;
    }
    case 'experiment-live':
      return `#/experiments/live/${route.requestId}`;
    case 'experiment-seeds':
      return `#/experiments/seeds/${route.requestId}`;
    case 'experiment':
      return `#/experiments/${route.id}`;
    case 'compare':
      return `#/compare/${route.ids.join(',')}`;
  }
}
