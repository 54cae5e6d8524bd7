import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';
import type { Language } from '../../common/domain';

@Entity('projects')
export class Project {
  @PrimaryGeneratedColumn() id: number;
  @Index() @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'varchar', length: 32 }) slackChannelId: string;
  @Column({ type: 'varchar', length: 8 }) defaultLanguage: Language;
  @Column({ type: 'varchar', length: 254, nullable: true }) senderEmail: string | null;
  @Column({ type: 'varchar', length: 64 }) timezone: string;
  @DateTimeColumn() createdAt: Date;
}
