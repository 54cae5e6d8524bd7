import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';
import type { ApplicationStatus } from '../../common/domain';
import { Candidate } from './candidate.entity';
import { Project } from './project.entity';

@Entity('applications')
@Index(['projectId', 'candidateId'], { unique: true })
export class Application {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) projectId: number;
  @ManyToOne(() => Project, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'projectId' }) project?: Project;
  @Index() @Column({ type: 'int' }) candidateId: number;
  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'candidateId' }) candidate?: Candidate;
  @Column({ type: 'varchar', length: 16 }) status: ApplicationStatus;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
