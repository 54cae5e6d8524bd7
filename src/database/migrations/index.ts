import { Initial1795561000000 } from './1795561000000-initial';

/** In order. */
export const MIGRATIONS = [Initial1795561000000];
