import { DataSource } from 'typeorm';
import { dropDatabase, engine, freshDatabase } from '../../../test/support/app';
import { migratedDataSource } from '../../../test/support/database';
import { Pace, reserveSlot } from './send-slots';

/**
 * Runs on the suite's engine with the real migrations. On MariaDB three DataSources stand for three app instances;
 * SQLite's driver is synchronous, so instances sharing a file are separate processes and one DataSource asks here.
 */
describe(`send slots (${engine()})`, () => {
  let url: string;
  const instances: DataSource[] = [];

  beforeAll(async () => {
    url = await freshDatabase();
    instances.push(await migratedDataSource(url));
    for (let i = 1; i < 3; i++) instances.push(engine() === 'mysql' ? await migratedDataSource(url) : instances[0]);
  });
  afterAll(async () => {
    await Promise.all([...new Set(instances)].map((db) => db.destroy()));
    await dropDatabase(url);
  });

  const reserve = async (db: DataSource, name: string, pace: Pace) => {
    for (;;) {
      const slot = await reserveSlot(db, name, pace);
      if (slot !== null) return slot;
    }
  };

  it('lets a burst go at once after a quiet spell, then one per interval', async () => {
    const pace = { intervalMs: 10_000, burst: 3 };
    const before = Date.now();
    const slots: number[] = [];
    for (let i = 0; i < 5; i++) slots.push(await reserve(instances[0], 'burst', pace));
    const after = Date.now();
    for (const s of slots.slice(0, 3)) expect(s >= before && s <= after).toBe(true);
    expect(slots[3] - slots[0]).toBe(10_000);
    expect(slots[4] - slots[0]).toBe(20_000);
  });

  it('gives instances asking at once distinct slots, one interval apart, creating the row without an error', async () => {
    const pace = { intervalMs: 5_000, burst: 1 };
    const slots = (await Promise.all(Array.from({ length: 9 }, (_, k) => reserve(instances[k % 3], 'together', pace)))).sort((a, b) => a - b);
    for (let k = 1; k < slots.length; k++) expect(slots[k] - slots[k - 1]).toBe(5_000);
  });

  it('keeps paces of different names apart', async () => {
    const pace = { intervalMs: 60_000, burst: 1 };
    const a1 = await reserve(instances[0], 'apart:a', pace);
    const b1 = await reserve(instances[1], 'apart:b', pace);
    expect(Math.abs(b1 - a1)).toBeLessThan(1000);
    expect((await reserve(instances[2], 'apart:a', pace)) - a1).toBe(60_000);
  });
});
