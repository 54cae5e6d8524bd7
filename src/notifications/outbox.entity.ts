import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, JsonTextColumn } from '../database/columns';

export type OutboxChannel = 'email' | 'sms' | 'slack';
/** The reminder words of SPEC §4 serve every outbox row. */
export type OutboxState = 'scheduled' | 'sent' | 'skipped' | 'failed' | 'cancelled';

/**
 * One side effect to perform: written in the same transaction as the state change that causes it,
 * claimed by a dispatcher with a lease, sent through a transport, its outcome recorded.
 */
@Entity('outbox')
@Index(['state', 'dueAt'])
@Index(['interviewId', 'channel', 'state'])
export class OutboxMessage {
  @PrimaryGeneratedColumn() id: number;
  /** e.g. email.invitation, email.reminder, sms.reminder, slack.card, slack.thread */
  @Column({ type: 'varchar', length: 32 }) kind: string;
  @Column({ type: 'varchar', length: 8 }) channel: OutboxChannel;
  @Column({ type: 'int', nullable: true }) interviewId: number | null;
  @Index() @Column({ type: 'int', nullable: true }) invitationId: number | null;
  @JsonTextColumn() payload: Record<string, any>;
  @DateTimeColumn() dueAt: Date;
  /** When the row was first held back (a provider's 429, or waiting for its Slack card): that stops sparing its attempts a day later. */
  @DateTimeColumn({ nullable: true }) heldSince: Date | null;
  @Column({ type: 'varchar', length: 16 }) state: OutboxState;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) leaseOwner: string | null;
  @DateTimeColumn({ nullable: true }) leaseUntil: Date | null;
  @Index() @Column({ type: 'varchar', length: 64, nullable: true }) providerMessageId: string | null;
  /** Delivery feedback from the provider: delivered, bounced, undelivered... */
  @Column({ type: 'varchar', length: 24, nullable: true }) deliveryStatus: string | null;
  /** Why it failed or was skipped, in words a recruiter understands. */
  @Column({ type: 'varchar', length: 500, nullable: true }) lastError: string | null;
  @DateTimeColumn({ nullable: true }) sentAt: Date | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
