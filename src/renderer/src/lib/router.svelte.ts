// Hash routes keep the page URL (and its ?token=) intact and survive a reload in both transports.
import { experimentHref, parseExperimentRoute, type ExperimentRoute } from './experiment-routes';
import { classifyHref, parseClassifyRoute, type ClassifyRoute } from './classify-routes';

export type Route = { page: 'datasets' } | { page: 'dataset'; id: number } | { page: 'dataset-explore'; id: number } | ExperimentRoute | ClassifyRoute;

export function parseRoute(hash: string): Route {
  const m = /^#\/datasets\/(\d+)\/?$/.exec(hash);
  if (m) return { page: 'dataset', id: Number(m[1]) };
  const explore = /^#\/datasets\/(\d+)\/explore\/?$/.exec(hash);
  if (explore) return { page: 'dataset-explore', id: Number(explore[1]) };
  return parseExperimentRoute(hash) ?? parseClassifyRoute(hash) ?? { page: 'datasets' };
}

export function routeHref(route: Route): string {
  if (route.page === 'dataset') return `#/datasets/${route.id}`;
  if (route.page === 'dataset-explore') return `#/datasets/${route.id}/explore`;
  if (route.page === 'datasets') return '#/datasets';
  if (route.page === 'classify' || route.page === 'classify-run') return classifyHref(route);
  return experimentHref(route);
}

export const router = $state<{ route: Route }>({ route: parseRoute(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parseRoute(location.hash);
});

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}
