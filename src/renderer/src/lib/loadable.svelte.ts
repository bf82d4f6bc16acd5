// What a page reads from the engine, with the message of its last failed read for the page's error banner.
import { errorMessage } from './api';

export class Loadable<T> {
  value = $state<T | null>(null);
  error = $state('');

  constructor(private readonly read: () => Promise<T>) {}

  /** Reads again; a failed read keeps the last value on screen and says why. An arrow, so it can be a retry handler. */
  load = async (): Promise<void> => {
    try {
      this.value = await this.read();
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    }
  };
}
