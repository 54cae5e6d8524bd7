import { Foreground } from './foreground';

describe('Foreground', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is busy while any request is served; ending one twice counts once', () => {
    const f = new Foreground();
    const a = f.begin();
    const b = f.begin();
    a();
    a();
    expect(f.busy()).toBe(true);
    b();
    expect(f.busy()).toBe(false);
  });

  it('quiet() resolves at once when idle, once no request came for the settle time, or at the latest after maxMs', async () => {
    const f = new Foreground(15);
    const seen: string[] = [];
    await f.quiet(1000).then(() => seen.push('idle'));
    const end = f.begin();
    void f.quiet(1000).then(() => seen.push('ended'));
    await Promise.resolve();
    expect(seen).toEqual(['idle']);
    end();
    jest.advanceTimersByTime(14);
    await Promise.resolve();
    expect(seen).toEqual(['idle']);
    jest.advanceTimersByTime(1);
    await Promise.resolve();
    expect(seen).toEqual(['idle', 'ended']);

    f.begin();
    void f.quiet(250).then(() => seen.push('timed out'));
    jest.advanceTimersByTime(249);
    await Promise.resolve();
    expect(seen).toHaveLength(2);
    jest.advanceTimersByTime(1);
    await Promise.resolve();
    expect(seen).toEqual(['idle', 'ended', 'timed out']);
  });

  it('a request within the settle time keeps waiters waiting; a later quiet spell releases them', async () => {
    const f = new Foreground(15);
    const seen: string[] = [];
    const first = f.begin();
    void f.quiet(1000).then(() => seen.push('released'));
    first();
    jest.advanceTimersByTime(10);
    const second = f.begin();
    jest.advanceTimersByTime(10);
    await Promise.resolve();
    expect(seen).toEqual([]);
    expect(f.busy()).toBe(true);
    second();
    void f.quiet(1000).then(() => seen.push('also waits for the settle time'));
    jest.advanceTimersByTime(15);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['released', 'also waits for the settle time']);
  });

  it('releases waiters a few at a time while it stays quiet, and stops releasing when a request comes', async () => {
    const f = new Foreground(15);
    const released: number[] = [];
    const end = f.begin();
    for (let i = 0; i < 10; i++) void f.quiet(10_000).then(() => released.push(i));
    end();
    jest.advanceTimersByTime(15);
    await Promise.resolve();
    expect(released).toEqual([0, 1, 2, 3]);
    jest.advanceTimersByTime(5);
    await Promise.resolve();
    expect(released).toHaveLength(8);
    const next = f.begin();
    jest.advanceTimersByTime(100);
    await Promise.resolve();
    expect(released).toHaveLength(8);
    next();
    jest.advanceTimersByTime(15);
    await Promise.resolve();
    expect(released).toHaveLength(10);
  });
});
