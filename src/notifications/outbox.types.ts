import type { EntityManager } from 'typeorm';
import type { OutboxChannel, OutboxMessage } from './outbox.entity';

export interface NewOutboxMessage {
  kind: string;
  channel: OutboxChannel;
  payload: Record<string, unknown>;
  dueAt: Date;
  interviewId?: number | null;
  invitationId?: number | null;
  /** A row recorded as already settled (e.g. a reminder skipped at planning time, with its reason). */
  settled?: { state: 'skipped'; reason: string };
}

/** `payload`, when given, replaces the stored payload (e.g. to drop a confirm token once it is sent). */
export type HandleResult = { state: 'sent'; providerMessageId?: string | null; payload?: Record<string, any> } | { state: 'skipped'; reason: string };

/**
 * A feature module's handler for its own outbox kinds. Throw a DeliveryError to say whether a retry can help.
 * `failed` runs once when a row is given up on, inside the transaction that marks it failed.
 */
export interface OutboxHandler {
  /** Called once with the rows of a claimed batch that this handler will get, to read what they need in one go. */
  prefetch?(messages: OutboxMessage[]): Promise<void>;
  handle(message: OutboxMessage): Promise<HandleResult>;
  /** Rows with the same key (null: none) may be handed to `handleBatch` together (EMAIL_BATCH_SIZE at most). */
  batchKey?(message: OutboxMessage): string | null;
  /** One outcome per row, in order: its result, or the error `handle` would have thrown for it. */
  handleBatch?(messages: OutboxMessage[]): Promise<(HandleResult | Error)[]>;
  failed?(message: OutboxMessage, reason: string, manager: EntityManager): Promise<void>;
}
