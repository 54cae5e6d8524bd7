import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';
import { Invitation } from './invitation.entity';

/** The invitation's history: who did what, when, through which channel, with the raw input. */
@Entity('invitation_events')
export class InvitationEvent {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) invitationId: number;
  @ManyToOne(() => Invitation, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'invitationId' }) invitation?: Invitation;
  @DateTimeColumn() at: Date;
  /** 'candidate', 'system' or a recruiter's Slack user id */
  @Column({ type: 'varchar', length: 64 }) actor: string;
  @Column({ type: 'varchar', length: 48 }) action: string;
  /** link | sms | slack | api | system */
  @Column({ type: 'varchar', length: 16 }) channel: string;
  @Column({ type: 'varchar', length: 1600, nullable: true }) raw: string | null;
}
