// Hash routes keep the page URL (and its ?token=) intact and survive a reload in both transports.

export type Route = { page: 'datasets' } | { page: 'dataset'; id: number };

export function parseRoute(hash: string): Route {
  const m = /^#\/datasets\/(\d+)\/?$/.exec(hash);
  if (m) return { page: 'dataset', id: Number(m[1]) };
  return { page: 'datasets' };
}

export function routeHref(route: Route): string {
  return route.page === 'dataset' ? `#/datasets/${route.id}` : '#/datasets';
}

export const router = $state<{ route: Route }>({ route: parseRoute(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parseRoute(location.hash);
});

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}
