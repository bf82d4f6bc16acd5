/**
 * A least-recently-used map of at most `capacity` entries: what keeps the tuning-dependent filter
 * banks (chroma, CQT bases) bounded. librosa quantises tunings to 0.01 bins, so a configuration has
 * at most 100 of each; a capacity above that keeps every one of them once built.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`Lru: capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** The entry, now the most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, value);
  }

  /** get, or make, store and return. */
  getOrCreate(key: K, make: () => V): V {
    let v = this.get(key);
    if (v === undefined) {
      v = make();
      this.set(key, v);
    }
    return v;
  }
}
