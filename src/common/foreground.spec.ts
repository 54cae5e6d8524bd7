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

  it('quiet() resolves at once when idle, when the last request ends, or at the latest after maxMs', async () => {
    const f = new Foreground();
    const seen: string[] = [];
    await f.quiet(1000).then(() => seen.push('idle'));
    const end = f.begin();
    void f.quiet(1000).then(() => seen.push('ended'));
    await Promise.resolve();
    expect(seen).toEqual(['idle']);
    end();
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
});
