import { getContext, setContext } from 'svelte';
import type { ApiClient, AppInfo } from './types';

const API = Symbol('api');
const INFO = Symbol('app-info');

export function provideApi(api: ApiClient): void {
  setContext(API, api);
}

export function useApi(): ApiClient {
  return getContext<ApiClient>(API);
}

/** app:info, once loaded; components read it through a getter so they see the update. */
export function provideAppInfo(get: () => AppInfo | null): void {
  setContext(INFO, get);
}

export function useAppInfo(): () => AppInfo | null {
  return getContext<() => AppInfo | null>(INFO);
}
