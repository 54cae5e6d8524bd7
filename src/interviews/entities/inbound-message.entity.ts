import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';

/** Every inbound SMS once, by Twilio's MessageSid, so that a repeated webhook changes nothing. */
@Entity('inbound_messages')
export class InboundMessage {
  @PrimaryColumn({ type: 'varchar', length: 64 }) messageSid: string;
  @Column({ type: 'varchar', length: 20 }) fromNumber: string;
  @Column({ type: 'varchar', length: 1600 }) body: string;
  @Column({ type: 'int', nullable: true }) invitationId: number | null;
  /** The TwiML reply we gave, repeated verbatim for a repeated MessageSid. */
  @Column({ type: 'varchar', length: 1600 }) reply: string;
  @DateTimeColumn() receivedAt: Date;
}
