/** A bounded in-process cache whose entries are trusted for `ttlMs` (wall time); emptied whole when full. */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; at: number; until: number }>();
  private readonly loading = new Map<K, Promise<V | undefined>>();
  constructor(
    private readonly ttlMs: number,
    private readonly limit = 10_000,
  ) {}

  /** The entry, if it is still trusted and (with `maxAgeMs`) was set at most that long ago. */
  get(key: K, maxAgeMs?: number): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    const now = Date.now();
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return maxAgeMs === undefined || now - hit.at <= maxAgeMs ? hit.value : undefined;
  }

  /**
   * The value for `key`, loaded when missing. An entry older than `refreshAfterMs` is still served while it is
   * trusted, and loaded again in the background: a key in steady use never waits for `load`. One load per key runs
   * at a time. A load that finds nothing (undefined) drops the key and is not cached; a failing background load
   * leaves the entry to expire.
   */
  async through(key: K, load: () => Promise<V | undefined>, refreshAfterMs: number): Promise<V | undefined> {
    const hit = this.entries.get(key);
    const now = Date.now();
    if (hit && hit.until > now) {
      if (now - hit.at >= refreshAfterMs) this.reload(key, load).catch(() => undefined);
      return hit.value;
    }
    return this.reload(key, load);
  }

  private reload(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load()
        .then((value) => {
          if (value === undefined) this.entries.delete(key);
          else this.set(key, value);
          return value;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }

  set(key: K, value: V): V {
    if (this.entries.size >= this.limit) this.entries.clear();
    const now = Date.now();
    this.entries.set(key, { value, at: now, until: now + this.ttlMs });
    return value;
  }
}
