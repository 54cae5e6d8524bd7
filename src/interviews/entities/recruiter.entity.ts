import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';

@Entity('recruiters')
export class Recruiter {
  @PrimaryGeneratedColumn() id: number;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 32 }) slackUserId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ type: 'boolean', default: false }) smsAccess: boolean;
  @DateTimeColumn() createdAt: Date;
}
