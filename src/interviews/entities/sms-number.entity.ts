import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';

/** Opt-out state per phone number (Twilio's OptOutType STOP/START). */
@Entity('sms_numbers')
export class SmsNumber {
  @PrimaryColumn({ type: 'varchar', length: 20 }) phone: string;
  @Column({ type: 'boolean' }) optedOut: boolean;
  @DateTimeColumn() updatedAt: Date;
}
