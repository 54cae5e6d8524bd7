import { Application } from '../interviews/entities/application.entity';
import { Candidate } from '../interviews/entities/candidate.entity';
import { InboundMessage } from '../interviews/entities/inbound-message.entity';
import { InvitationEvent } from '../interviews/entities/invitation-event.entity';
import { Invitation } from '../interviews/entities/invitation.entity';
import { Interview } from '../interviews/entities/interview.entity';
import { Project } from '../interviews/entities/project.entity';
import { Recruiter } from '../interviews/entities/recruiter.entity';
import { SmsNumber } from '../interviews/entities/sms-number.entity';
import { LocalDelivery } from '../notifications/local-delivery.entity';
import { OutboxMessage } from '../notifications/outbox.entity';
import { RateLimit } from '../notifications/rate-limit/rate-limit.entity';

export const ENTITIES = [Recruiter, Project, Candidate, Application, Interview, Invitation, InvitationEvent, SmsNumber, InboundMessage, OutboxMessage, LocalDelivery, RateLimit];
