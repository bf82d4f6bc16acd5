/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ApiClient } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser talking to the web bridge. */
    api?: ApiClient;
  }
}
