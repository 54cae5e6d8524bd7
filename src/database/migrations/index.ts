import { Initial1795561000000 } from './1795561000000-initial';
import { RateLimits1795566000000 } from './1795566000000-rate-limits';
import { InvitationByApplication1795570000000 } from './1795570000000-invitation-by-application';
import { OutboxPlannerStats1795580000000 } from './1795580000000-outbox-planner-stats';
import { OutboxByInterview1795600000000 } from './1795600000000-outbox-by-interview';
import { OutboxHeldSince1795620000000 } from './1795620000000-outbox-held-since';

/** In order. */
export const MIGRATIONS = [Initial1795561000000, RateLimits1795566000000, InvitationByApplication1795570000000, OutboxPlannerStats1795580000000, OutboxByInterview1795600000000, OutboxHeldSince1795620000000];
