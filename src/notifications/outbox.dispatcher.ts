import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { Foreground } from '../common/foreground';
import { dbDate } from '../database/db-date';
import { transaction, withRetry } from '../database/transaction';
import { DeliveryError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { isMysqlDataSource } from '../database/migrations/engine';
import { OutboxMessage } from './outbox.entity';
import { OutboxService } from './outbox.service';
import { HandleResult, OutboxHandler } from './outbox.types';
import { backoffMs, MAX_ATTEMPTS, THROTTLED_AT_MOST_MS } from './retry.policy';

const LEASE_MS = 60_000;
/** The next claim starts when fewer rows than this wait locally: little is held beyond what is being sent. */
const REFILL_BELOW = 8;
/**
 * While requests are being served, each worker waits for a quiet moment before its next message, at most about
 * QUIET_WAIT_MS (jittered, so that the workers' turns spread out instead of coming as one burst): sending goes on
 * at some 30 messages a second per instance under continuous load, and at full speed in every pause.
 */
const QUIET_WAIT_MS = 1000;
const RENEW_CHUNK = 500;
/** Attempts at recording a set of sends when the database picks that write as a deadlock victim. */
const RECORD_ATTEMPTS = 4;
/** A provider's 429 with `Retry-After: 0` still waits this long, rather than asking again at once. */
const PROVIDER_THROTTLE_MIN_WAIT_MS = 250;

/**
 * Claims due outbox rows with a lease (safe with several instances on one MySQL: SELECT … FOR UPDATE SKIP LOCKED;
 * on SQLite one atomic UPDATE … WHERE id IN (SELECT …)), hands each to its kind's handler, records the outcome.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxDispatcher');
  private timer: NodeJS.Timeout | null = null;
  private wake: { at: number; timer: NodeJS.Timeout } | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private claimSeq = 0;
  /** Rows of ended passes whose leases are still to be given up (see releaseLeftBehind). */
  private readonly leftBehind: { owner: string; ids: number[] }[] = [];
  private readonly isMysql: boolean;
  private readonly concurrency = 32;

  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly foreground: Foreground,
  ) {
    this.isMysql = isMysqlDataSource(db);
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'web') return;
    this.outbox.onQueued((dueAt) => this.kick(dueAt));
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    await this.running;
  }

  /** Look for due rows now (or at `dueAt`, when that is later) rather than at the next poll. */
  kick(dueAt?: Date): void {
    if (this.stopping || this.config.role === 'web') return;
    const wait = dueAt ? dueAt.getTime() - this.clock.now().getTime() : 0;
    if (wait > 0) return this.wakeAfter(wait);
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private wakeAfter(wait: number): void {
    if (wait > LEASE_MS) return;
    const at = Date.now() + wait;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = null;
      this.kick();
    }, wait);
    timer.unref?.();
    this.wake = { at, timer };
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain().finally(() => {
        this.running = null;
        const next = this.again ? 0 : this.config.dispatch.intervalMs;
        this.again = false;
        this.schedule(next);
      });
    }, ms);
    this.timer.unref?.();
  }

  /**
   * Works until nothing is due: `concurrency` workers take rows from a local queue that is refilled (one claim at
   * a time) whenever it runs low, so one slow request never idles the others. While the drain runs, a heartbeat
   * renews the lease of every row it holds: a lease only lapses when this process dies or stalls.
   */
  private async drain(): Promise<void> {
    const owner = `${this.config.instanceId}:${++this.claimSeq}`;
    const queue: OutboxMessage[] = [];
    let exhausted = false;
    let refilling: Promise<void> | null = null;
    /** Rows claimed and not yet handled (waiting or being sent): the heartbeat renews their leases. */
    const held = new Set<number>();
    /** Rows claimed whose outcome is not recorded yet: what this pass leaves behind is released when it ends. */
    const open = new Set<number>();
    const refill = () =>
      (refilling ??= this.claim(owner, this.config.dispatch.batchSize)
        .then((rows) => {
          for (const r of rows) {
            held.add(r.id);
            open.add(r.id);
          }
          queue.push(...rows);
          if (rows.length < this.config.dispatch.batchSize) exhausted = true;
        })
        .catch((err: Error) => {
          exhausted = true;
          this.logger.warn({ msg: 'claiming due rows failed; will retry', error: err.message });
        })
        .finally(() => (refilling = null)));
    const sent = new SentRecorder(
      async (rows) => {
        await this.recordOutcomes(owner, rows);
        for (const r of rows) {
          held.delete(r.id);
          open.delete(r.id);
        }
      },
      (err) => {
        // Stop sending what could not be recorded; those rows are given back when the pass ends (releaseLeftBehind).
        queue.length = 0;
        held.clear();
        exhausted = true;
        this.logger.warn({ msg: 'recording sends failed; pausing until the database answers', error: err.message });
      },
    );
    const heartbeat = setInterval(() => void this.renew(owner, [...held]).catch((err: Error) => this.logger.warn({ msg: 'lease renewal failed', error: err.message })), LEASE_MS / 3);
    heartbeat.unref();
    const worker = async () => {
      for (;;) {
        if (this.foreground.busy() && !this.stopping) await this.foreground.quiet(QUIET_WAIT_MS * (0.5 + Math.random()));
        if (queue.length < REFILL_BELOW && !exhausted && !this.stopping) void refill();
        if (queue.length === 0) {
          if (refilling) await refilling;
          if (queue.length === 0) return;
        }
        const batch = this.takeBatch(queue.shift()!, queue);
        // A row whose outcome cannot be recorded (database gone) stays open, and so does the rest of the queue,
        // which is no longer sent: the pass gives them back when it ends (releaseLeftBehind).
        const recording = await (batch.length > 1 ? this.processBatch(batch, sent) : this.process(batch[0], sent).then((r) => [r])).catch((err: Error) => {
          queue.length = 0;
          held.clear();
          exhausted = true;
          this.logger.warn({ msg: 'recording an outcome failed; pausing', outboxIds: batch.map((m) => m.id), error: err.message });
          return null;
        });
        // A row waiting in the recorder (sent, or held back) keeps its lease renewed until the write that records it succeeds.
        batch.forEach((m, k) => {
          if (!recording || recording[k]) return;
          held.delete(m.id);
          open.delete(m.id);
        });
      }
    };
    try {
      await this.releaseLeftBehind();
      await refill();
      if (queue.length) await Promise.all(Array.from({ length: this.concurrency }, () => worker()));
      await sent.flush();
    } catch (err) {
      this.logger.warn({ msg: 'dispatch pass failed; will retry', error: (err as Error).message });
    } finally {
      clearInterval(heartbeat);
    }
    if (open.size) {
      this.leftBehind.push({ owner, ids: [...open] });
      await this.releaseLeftBehind().catch((err: Error) => this.logger.warn({ msg: 'releasing unsent rows failed; will retry', error: err.message }));
    }
  }

  /**
   * Gives up the leases of rows a pass claimed and ended without recording (the database went away, or the
   * instance is stopping), once the database answers: they are taken again at once instead of when their leases
   * lapse. Nothing of the pass is in flight by then. A row sent whose send could not be recorded goes again, as
   * it would after its lease lapsed.
   */
  private async releaseLeftBehind(): Promise<void> {
    while (this.leftBehind.length) {
      const { owner, ids } = this.leftBehind[0];
      for (let i = 0; i < ids.length; i += RENEW_CHUNK) {
        const chunk = ids.slice(i, i + RENEW_CHUNK);
        await this.db.query(`UPDATE outbox SET leaseOwner = NULL, leaseUntil = NULL WHERE id IN (${chunk.map(() => '?').join(',')}) AND leaseOwner = ? AND state = 'scheduled'`, [...chunk, owner]);
      }
      this.leftBehind.shift();
    }
  }

  /** By id, so that only the rows held are touched (a scan by owner would lock every scheduled row it passes). */
  private async renew(owner: string, ids: number[]): Promise<void> {
    const until = dbDate(this.db, new Date(this.clock.now().getTime() + LEASE_MS));
    for (let i = 0; i < ids.length; i += RENEW_CHUNK) {
      const chunk = ids.slice(i, i + RENEW_CHUNK);
      await this.db.query(`UPDATE outbox SET leaseUntil = ? WHERE id IN (${chunk.map(() => '?').join(',')}) AND leaseOwner = ? AND state = 'scheduled'`, [until, ...chunk, owner]);
    }
  }

  private async claim(owner: string, limit: number): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + LEASE_MS);
    let ids: number[];
    if (this.isMysql) {
      // READ COMMITTED: lock only the rows taken, no gap locks that would deadlock with inserts into the outbox.
      // Two round trips: begin and lock, then lease and commit (the pool allows multiple statements).
      const qr = this.db.createQueryRunner('master');
      try {
        const locked = await qr.query(
          'SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION; SELECT id FROM outbox WHERE state = ? AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil < ?) ORDER BY dueAt LIMIT ? FOR UPDATE SKIP LOCKED',
          ['scheduled', now, now, limit],
        );
        ids = (locked[2] as { id: number }[]).map((r) => Number(r.id));
        if (ids.length === 0) await qr.query('COMMIT');
        else await qr.query(`UPDATE outbox SET leaseOwner = ?, leaseUntil = ?, attempts = attempts + 1 WHERE id IN (${ids.map(() => '?').join(',')}); COMMIT`, [owner, until, ...ids]);
      } catch (err) {
        await qr.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        await qr.release();
      }
    } else {
      // One statement is atomic in SQLite, also across processes sharing the file.
      const rows: { id: number }[] = await this.db.query(
        `UPDATE outbox SET leaseOwner = ?, leaseUntil = ?, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox WHERE state = 'scheduled' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil < ?) ORDER BY dueAt LIMIT ?)
         RETURNING id`,
        [owner, dbDate(this.db, until), dbDate(this.db, now), dbDate(this.db, now), limit],
      );
      ids = rows.map((r) => Number(r.id));
    }
    if (ids.length === 0) return [];
    let claimed: OutboxMessage[];
    try {
      claimed = await this.db.getRepository(OutboxMessage).findBy({ id: In(ids) });
    } catch (err) {
      // Leased and never read: given back once the database answers, rather than left until the leases lapse.
      this.leftBehind.push({ owner, ids });
      throw err;
    }
    await this.prefetch(claimed);
    return claimed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  }

  private async prefetch(rows: OutboxMessage[]): Promise<void> {
    const byHandler = new Map<OutboxHandler, OutboxMessage[]>();
    for (const row of rows) {
      const h = this.outbox.handlerFor(row.kind);
      if (h?.prefetch) byHandler.set(h, [...(byHandler.get(h) ?? []), row]);
    }
    for (const [h, list] of byHandler) {
      await h.prefetch!(list).catch((err: Error) => this.logger.warn({ msg: 'prefetch failed; rows are read one by one', error: err.message }));
    }
  }

  /**
   * `first` and, when its handler sends several rows at once (EMAIL_BATCH_SIZE > 1), the queued rows with the same
   * batch key, taken out of the queue.
   */
  private takeBatch(first: OutboxMessage, queue: OutboxMessage[]): OutboxMessage[] {
    const max = this.config.dispatch.emailBatchSize;
    const handler = this.outbox.handlerFor(first.kind);
    const key = max > 1 && handler?.handleBatch ? (handler.batchKey?.(first) ?? null) : null;
    if (key === null) return [first];
    const batch = [first];
    for (let i = 0; i < queue.length && batch.length < max; ) {
      if (queue[i].kind === first.kind && handler!.batchKey!(queue[i]) === key) batch.push(...queue.splice(i, 1));
      else i++;
    }
    return batch;
  }

  /** True when the outcome (a send, or a row held back) is left to `sent` to record; false when it has been recorded here. */
  private async process(msg: OutboxMessage, sent: SentRecorder): Promise<boolean> {
    const handler = this.outbox.handlerFor(msg.kind);
    let outcome: HandleResult | Error;
    try {
      if (!handler) throw DeliveryError.permanent(`No handler for outbox kind ${msg.kind}`);
      outcome = await handler.handle(msg);
    } catch (err) {
      outcome = err instanceof Error ? err : new Error(String(err));
    }
    return this.settle(msg, outcome, sent);
  }

  private async processBatch(msgs: OutboxMessage[], sent: SentRecorder): Promise<boolean[]> {
    let outcomes: (HandleResult | Error)[];
    try {
      outcomes = await this.outbox.handlerFor(msgs[0].kind)!.handleBatch!(msgs);
    } catch (err) {
      outcomes = msgs.map(() => (err instanceof Error ? err : new Error(String(err))));
    }
    // Every outcome is written (or has failed) before this returns, so nothing of the batch is still in flight.
    const settled = await Promise.allSettled(msgs.map((m, k) => this.settle(m, outcomes[k], sent)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<boolean>).value);
  }

  private async settle(msg: OutboxMessage, outcome: HandleResult | Error, sent: SentRecorder): Promise<boolean> {
    if (outcome instanceof Error) {
      const held = this.heldBack(msg, outcome);
      if (held) {
        await sent.add(held);
        return true;
      }
      await this.recordError(msg, outcome);
      return false;
    }
    if (outcome.state === 'sent') {
      await sent.add({ id: msg.id, sent: { providerMessageId: outcome.providerMessageId ?? null, payload: outcome.payload ?? null } });
      return true;
    }
    const now = this.clock.now();
    await this.db
      .getRepository(OutboxMessage)
      .update({ id: msg.id, leaseOwner: msg.leaseOwner!, state: 'scheduled' }, { state: 'skipped', lastError: outcome.reason.slice(0, 500), updatedAt: now, leaseOwner: null, leaseUntil: null });
    return false;
  }

  /**
   * A row held back (the provider's 429, or the app waiting for something first) goes back to the outbox without
   * using up an attempt, written with the sends (SentRecorder); holding back that has lasted THROTTLED_AT_MOST_MS
   * counts again.
   */
  private heldBack(msg: OutboxMessage, err: Error): RecordedRow | null {
    if (!(err instanceof DeliveryError) || !err.throttle) return null;
    const now = this.clock.now();
    if (msg.heldSince && now.getTime() - msg.heldSince.getTime() >= THROTTLED_AT_MOST_MS) return null;
    const wait = Math.max(err.retryAfterMs ?? 1000, err.throttle.byApp ? 0 : PROVIDER_THROTTLE_MIN_WAIT_MS);
    const lastError = err.throttle.byApp ? null : err.message.slice(0, 500);
    if (lastError) this.logger.warn({ msg: 'provider rate limit; will retry', outboxId: msg.id, kind: msg.kind, retryInMs: wait, error: lastError });
    return { id: msg.id, heldBack: { dueAt: new Date(now.getTime() + wait), lastError } };
  }

  /**
   * Records sends in one UPDATE (CASE per row for the provider's id and the scrubbed payload), and rows held back in
   * another (CASE per row for the new due time and reason).
   */
  private async recordOutcomes(owner: string, rows: RecordedRow[]): Promise<void> {
    const sent = rows.filter((r): r is RecordedRow & { sent: SentOutcome } => !!r.sent);
    const heldBack = rows.filter((r): r is RecordedRow & { heldBack: HeldBackOutcome } => !!r.heldBack);
    const now = this.clock.now();
    const at = dbDate(this.db, now);
    if (sent.length) {
      const params: unknown[] = [at, at];
      const idCase = sent.map((r) => (params.push(r.id, r.sent.providerMessageId), 'WHEN ? THEN ?')).join(' ');
      const scrubbed = sent.filter((r) => r.sent.payload);
      const payloadCase = scrubbed.length ? `, payload = CASE id ${scrubbed.map((r) => (params.push(r.id, JSON.stringify(r.sent.payload)), 'WHEN ? THEN ?')).join(' ')} ELSE payload END` : '';
      params.push(...sent.map((r) => r.id), owner);
      await withRetry(RECORD_ATTEMPTS, () => this.db.query(
        `UPDATE outbox SET state = 'sent', sentAt = ?, updatedAt = ?, leaseOwner = NULL, leaseUntil = NULL, lastError = NULL,
         providerMessageId = CASE id ${idCase} END${payloadCase}
         WHERE id IN (${sent.map(() => '?').join(',')}) AND leaseOwner = ? AND state = 'scheduled'`,
        params,
      ));
    }
    if (heldBack.length) {
      const params: unknown[] = [];
      const dueCase = heldBack.map((r) => (params.push(r.id, dbDate(this.db, r.heldBack.dueAt)), 'WHEN ? THEN ?')).join(' ');
      const reasoned = heldBack.filter((r) => r.heldBack.lastError);
      const errorCase = reasoned.length ? `CASE id ${reasoned.map((r) => (params.push(r.id, r.heldBack.lastError), 'WHEN ? THEN ?')).join(' ')} ELSE NULL END` : 'NULL';
      params.push(at, at, ...heldBack.map((r) => r.id), owner);
      await withRetry(RECORD_ATTEMPTS, () => this.db.query(
        `UPDATE outbox SET dueAt = CASE id ${dueCase} END, lastError = ${errorCase},
         attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, heldSince = COALESCE(heldSince, ?), updatedAt = ?, leaseOwner = NULL, leaseUntil = NULL
         WHERE id IN (${heldBack.map(() => '?').join(',')}) AND leaseOwner = ? AND state = 'scheduled'`,
        params,
      ));
    }
  }

  private async recordError(msg: OutboxMessage, err: unknown): Promise<void> {
    const delivery = err instanceof DeliveryError ? err : DeliveryError.temporary((err as Error)?.message ?? String(err));
    const now = this.clock.now();
    const reason = delivery.message.slice(0, 500);
    if (delivery.temporary && msg.attempts < MAX_ATTEMPTS) {
      const wait = Math.max(delivery.retryAfterMs ?? 0, backoffMs(msg.attempts));
      this.logger.warn({ msg: 'temporary delivery failure; will retry', outboxId: msg.id, kind: msg.kind, attempt: msg.attempts, retryInMs: wait, error: reason });
      await this.db
        .getRepository(OutboxMessage)
        .update({ id: msg.id, leaseOwner: msg.leaseOwner! }, { dueAt: new Date(now.getTime() + wait), lastError: reason, updatedAt: now, leaseOwner: null, leaseUntil: null });
      return;
    }
    this.logger.warn({ msg: 'delivery failed', outboxId: msg.id, kind: msg.kind, attempts: msg.attempts, error: reason });
    await transaction(this.db, async (m) => {
      const res = await m
        .getRepository(OutboxMessage)
        .update({ id: msg.id, leaseOwner: msg.leaseOwner!, state: 'scheduled' }, { state: 'failed', lastError: reason, updatedAt: now, leaseOwner: null, leaseUntil: null });
      if (res.affected) await this.outbox.handlerFor(msg.kind)?.failed?.(msg, reason, m);
    });
    this.kick();
  }
}

interface SentOutcome {
  providerMessageId: string | null;
  payload: Record<string, unknown> | null;
}

interface HeldBackOutcome {
  dueAt: Date;
  lastError: string | null;
}

/** A row's outcome left to the SentRecorder: sent, or held back to go again later. */
interface RecordedRow {
  id: number;
  sent?: SentOutcome;
  heldBack?: HeldBackOutcome;
}

const SENT_FLUSH_ROWS = 32;
const SENT_FLUSH_MS = 25;

/** Collects sends and rows held back and records them together: every 32 rows or 25 ms, and at the end of a drain. */
class SentRecorder {
  private rows: RecordedRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: RecordedRow[]) => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  async add(row: RecordedRow): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= SENT_FLUSH_ROWS) return this.flush();
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), SENT_FLUSH_MS);
  }

  /** Resolves when everything added so far is written; rejects when that write failed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = this.rows;
    this.rows = [];
    this.flushing = this.flushing.catch(() => undefined).then(() => this.write(rows));
    return this.flushing;
  }
}
