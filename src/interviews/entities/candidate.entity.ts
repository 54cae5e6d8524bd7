import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';
import type { Language } from '../../common/domain';

@Entity('candidates')
export class Candidate {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 100 }) firstName: string;
  @Column({ type: 'varchar', length: 100 }) lastName: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 254 }) email: string;
  /** E.164 */
  @Index() @Column({ type: 'varchar', length: 20, nullable: true }) mobile: string | null;
  @Column({ type: 'varchar', length: 8 }) language: Language;
  @DateTimeColumn() createdAt: Date;
}
