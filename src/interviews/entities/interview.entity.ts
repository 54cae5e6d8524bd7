import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, JsonTextColumn } from '../../database/columns';
import type { InterviewType, Language, ReminderOption } from '../../common/domain';
import { Project } from './project.entity';

export interface EmailTemplateText {
  subject: string;
  content: string;
}

export interface ReminderSettings {
  option: ReminderOption;
  days: number | null;
  subject: string;
  content: string;
  signature: string;
}

@Entity('interviews')
@Index(['projectId', 'startsAt'])
export class Interview {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) projectId: number;
  @ManyToOne(() => Project, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'projectId' }) project?: Project;
  @Column({ type: 'varchar', length: 16 }) type: InterviewType;
  @Index() @DateTimeColumn() startsAt: Date;
  @Column({ type: 'int' }) durationMinutes: number;
  @Column({ type: 'varchar', length: 64 }) timezone: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) location: string | null;
  @Column({ type: 'varchar', length: 32 }) createdBy: string;
  /** Slack user ids of the participating recruiters. */
  @JsonTextColumn() recruiterIds: string[];
  @Column({ type: 'boolean' }) sendEmail: boolean;
  @Column({ type: 'boolean' }) confirmLink: boolean;
  @Column({ type: 'varchar', length: 254 }) senderEmail: string;
  @JsonTextColumn() templates: Partial<Record<Language, EmailTemplateText>>;
  @JsonTextColumn() reminder: ReminderSettings;
  /** scheduled | cancelled */
  @Column({ type: 'varchar', length: 16 }) status: 'scheduled' | 'cancelled';
  /** Raised on every reschedule; the .ics SEQUENCE. */
  @Column({ type: 'int', default: 0 }) sequence: number;
  @Column({ type: 'varchar', length: 32, nullable: true }) slackChannel: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) slackTs: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
