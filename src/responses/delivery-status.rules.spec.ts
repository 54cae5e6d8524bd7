import { emailDeliveryStatus, isFailedDeliveryStatus, isSmsDeliveryStatus, replacesDeliveryStatus } from './delivery-status.rules';

const FINAL = ['delivered', 'bounced', 'dropped', 'undelivered', 'failed'];
const NON_FINAL = ['processed', 'deferred', 'accepted', 'queued', 'sending', 'sent', 'read'];
const FAILURES = ['bounced', 'dropped', 'undelivered', 'failed'];

describe('replacesDeliveryStatus', () => {
  it.each([...FINAL, ...NON_FINAL])('the first report (%s) is taken', (next) => {
    expect(replacesDeliveryStatus(null, next)).toBe(true);
  });

  it.each([...FINAL, ...NON_FINAL])('the same report twice (%s) changes nothing', (status) => {
    expect(replacesDeliveryStatus(status, status)).toBe(false);
  });

  it.each(FINAL.flatMap((current) => NON_FINAL.map((next) => [current, next])))('a final %s is not replaced by %s', (current, next) => {
    expect(replacesDeliveryStatus(current, next)).toBe(false);
  });

  it.each(NON_FINAL.flatMap((current) => FINAL.map((next) => [current, next])))('a non-final %s is replaced by the final %s', (current, next) => {
    expect(replacesDeliveryStatus(current, next)).toBe(true);
  });

  it.each([
    ['processed', 'deferred'],
    ['deferred', 'processed'],
    ['queued', 'sent'],
  ])('a non-final %s is replaced by the non-final %s', (current, next) => {
    expect(replacesDeliveryStatus(current, next)).toBe(true);
  });

  it.each(FAILURES)('a failure (%s) replaces delivered, and delivered does not replace it', (failure) => {
    expect(replacesDeliveryStatus('delivered', failure)).toBe(true);
    expect(replacesDeliveryStatus(failure, 'delivered')).toBe(false);
  });

  it.each(FAILURES.flatMap((current) => FAILURES.filter((f) => f !== current).map((next) => [current, next])))('the first failure (%s) stands against %s', (current, next) => {
    expect(replacesDeliveryStatus(current, next)).toBe(false);
  });

  it('bounce, then deferred and processed replayed out of order: bounced stays', () => {
    let status: string | null = null;
    for (const next of ['processed', 'bounced', 'deferred', 'processed', 'delivered']) if (replacesDeliveryStatus(status, next)) status = next;
    expect(status).toBe('bounced');
  });
});

describe('statuses', () => {
  it('maps SendGrid delivery events by own name only', () => {
    expect(emailDeliveryStatus('bounce')).toBe('bounced');
    expect(emailDeliveryStatus('dropped')).toBe('dropped');
    expect(emailDeliveryStatus('delivered')).toBe('delivered');
    expect(emailDeliveryStatus('deferred')).toBe('deferred');
    for (const name of ['open', 'click', 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', '']) expect(emailDeliveryStatus(name)).toBeUndefined();
  });

  it('knows Twilio statuses by own name only', () => {
    for (const s of ['queued', 'sent', 'delivered', 'undelivered', 'failed', 'read']) expect(isSmsDeliveryStatus(s)).toBe(true);
    for (const s of ['constructor', 'toString', 'x'.repeat(30), '', 'DELIVERED']) expect(isSmsDeliveryStatus(s)).toBe(false);
  });

  it('failed', () => {
    expect(FAILURES.every(isFailedDeliveryStatus)).toBe(true);
    expect(isFailedDeliveryStatus('delivered')).toBe(false);
  });
});
