import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, JsonTextColumn } from '../database/columns';

/** What a local transport "sent": kept so that a person can read it on the /outbox page. */
@Entity('local_deliveries')
export class LocalDelivery {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 8 }) channel: 'email' | 'sms' | 'slack';
  @Column({ type: 'varchar', length: 254 }) recipient: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) subject: string | null;
  @Column({ type: 'text' }) body: string;
  @JsonTextColumn({ nullable: true }) meta: Record<string, unknown> | null;
  @DateTimeColumn() createdAt: Date;
}
