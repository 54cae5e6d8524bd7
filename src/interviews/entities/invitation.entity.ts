import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';
import type { InvitationStatus } from '../../common/domain';
import { Application } from './application.entity';
import { Candidate } from './candidate.entity';
import { Interview } from './interview.entity';

@Entity('invitations')
/** An invitation by its interview and application: how the statements of a new invitation find its id (SqlRef). */
@Index(['interviewId', 'applicationId'])
export class Invitation {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'int' }) interviewId: number;
  @ManyToOne(() => Interview, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'interviewId' }) interview?: Interview;
  @Column({ type: 'int' }) applicationId: number;
  @ManyToOne(() => Application, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'applicationId' }) application?: Application;
  @Index() @Column({ type: 'int' }) candidateId: number;
  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'candidateId' }) candidate?: Candidate;
  @Column({ type: 'varchar', length: 24 }) status: InvitationStatus;
  /** sha256 (hex) of the confirm token; the token itself is only in the candidate's messages. */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) tokenHash: string;
  /** Short reference carried in SMS texts. */
  @Column({ type: 'varchar', length: 8 }) ref: string;
  @DateTimeColumn({ nullable: true }) answeredAt: Date | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) answerChannel: string | null;
  /** The candidate's own words with the last answer (SMS text), shown on the card. */
  @Column({ type: 'varchar', length: 500, nullable: true }) answerNote: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
