// Hash routes keep the page URL (and its ?token=) intact and survive a reload in both transports.
import { experimentHref, parseExperimentRoute, type ExperimentRoute } from './experiment-routes';

export type Route = { page: 'datasets' } | { page: 'dataset'; id: number } | ExperimentRoute;

export function parseRoute(hash: string): Route {
  const m = /^#\/datasets\/(\d+)\/?$/.exec(hash);
  if (m) return { page: 'dataset', id: Number(m[1]) };
  return parseExperimentRoute(hash) ?? { page: 'datasets' };
}

export function routeHref(route: Route): string {
  if (route.page === 'dataset') return `#/datasets/${route.id}`;
  if (route.page === 'datasets') return '#/datasets';
  return experimentHref(route);
}

export const router = $state<{ route: Route }>({ route: parseRoute(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parseRoute(location.hash);
});

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}
