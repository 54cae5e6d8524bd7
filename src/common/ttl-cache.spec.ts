import { TtlCache } from './ttl-cache';

describe('TtlCache.through', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  const loader = (values: (string | undefined)[]) => {
    const load = jest.fn(async () => values.shift());
    return load;
  };

  it('loads a missing key once for concurrent callers and serves it from the cache afterwards', async () => {
    const cache = new TtlCache<string, string>(5_000);
    const load = loader(['v1']);
    expect(await Promise.all([cache.through('k', load, 2_000), cache.through('k', load, 2_000)])).toEqual(['v1', 'v1']);
    now += 1_000;
    expect(await cache.through('k', load, 2_000)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('serves an entry past the refresh age at once and reloads it in the background; the next caller gets the new value', async () => {
    const cache = new TtlCache<string, string>(5_000);
    let release!: (v: string) => void;
    const load = jest.fn().mockResolvedValueOnce('v1').mockImplementationOnce(() => new Promise<string>((r) => (release = r)));
    await cache.through('k', load, 2_000);
    now += 3_000;
    expect(await cache.through('k', load, 2_000)).toBe('v1');
    expect(await cache.through('k', load, 2_000)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(2);
    release('v2');
    await new Promise((r) => setImmediate(r));
    expect(await cache.through('k', load, 2_000)).toBe('v2');
  });

  it('waits for a load once the entry is no longer trusted, and drops a key the load no longer finds', async () => {
    const cache = new TtlCache<string, string>(5_000);
    const load = loader(['v1', undefined, 'v3']);
    await cache.through('k', load, 2_000);
    now += 6_000;
    expect(await cache.through('k', load, 2_000)).toBeUndefined();
    expect(cache.get('k')).toBeUndefined();
    expect(await cache.through('k', load, 2_000)).toBe('v3');
  });

  it('keeps serving a trusted entry when a background reload fails, until it expires', async () => {
    const cache = new TtlCache<string, string>(5_000);
    const load = jest.fn().mockResolvedValueOnce('v1').mockRejectedValueOnce(new Error('database down')).mockRejectedValueOnce(new Error('database down'));
    await cache.through('k', load, 2_000);
    now += 3_000;
    expect(await cache.through('k', load, 2_000)).toBe('v1');
    await new Promise((r) => setImmediate(r));
    now += 3_000;
    await expect(cache.through('k', load, 2_000)).rejects.toThrow('database down');
  });
});
