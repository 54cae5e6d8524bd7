import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';

/** The next free send slot of a provider, shared by every instance (SMS_PER_SECOND holds for the whole deployment). */
@Entity('rate_limits')
export class RateLimit {
  @PrimaryColumn({ type: 'varchar', length: 32 }) name: string;
  @DateTimeColumn() nextAt: Date;
  @Column({ type: 'int', default: 0 }) version: number;
}
