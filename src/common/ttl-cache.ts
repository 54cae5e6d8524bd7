/** A bounded in-process cache whose entries are trusted for `ttlMs` (wall time); emptied whole when full. */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; at: number; until: number }>();
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
