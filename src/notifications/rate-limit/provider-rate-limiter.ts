import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Pace, reserveSlot } from './send-slots';

const ARRIVAL_JITTER_ALLOWANCE_MS = 150;
const RESERVE_ATTEMPTS = 20;

/**
 * Spaces sends to one provider across all instances: each send takes the next slot from a row in the database
 * (locked while it is taken) and waits for it. Real time, not the app's clock: the provider counts in real seconds.
 */
@Injectable()
export class ProviderRateLimiter {
  constructor(private readonly db: DataSource) {}

  async take(name: string, perSecond: number): Promise<void> {
    // `perSecond` slots span 1 s plus the allowance: a send may reach the provider up to that much later than its
    // slot (event loop, network) and a 1-s window at the provider still never holds more than `perSecond`.
    const pace = { intervalMs: (1000 + ARRIVAL_JITTER_ALLOWANCE_MS) / perSecond, burst: 1 };
    for (let attempt = 0; ; attempt++) {
      const slot = await this.reserve(name, pace);
      const wait = slot - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // A slot this process woke up too late for (a stalled event loop: a long GC, SQLite waiting for another
      // process's lock) is given up: sent now, it could fall in one second with the slots after it.
      if (Date.now() - slot <= ARRIVAL_JITTER_ALLOWANCE_MS / 2) return;
      if (attempt >= RESERVE_ATTEMPTS) throw new Error(`Could not take a send slot for ${name} in time`);
    }
  }

  /** The next slot of `name` at `pace` (real time, ms), reserved for the caller. */
  private async reserve(name: string, pace: Pace): Promise<number> {
    for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
      const slot = await reserveSlot(this.db, name, pace);
      if (slot !== null) return slot;
    }
    throw new Error(`Could not take a send slot for ${name}`);
  }
}
