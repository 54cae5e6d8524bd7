import { ConfigError, loadConfig } from './config.schema';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('takes an IANA REMINDER_TIMEZONE', () => {
    expect(loadConfig({ REMINDER_TIMEZONE: 'America/New_York' }).reminder.zone).toBe('America/New_York');
  });

  it.each(['local', 'system', 'UTC+5', '+05:00', 'Mars/Base'])('refuses REMINDER_TIMEZONE=%s naming the variable', (zone) => {
    expect(problems({ REMINDER_TIMEZONE: zone })).toEqual([expect.stringMatching(/^REMINDER_TIMEZONE: must (be|name) an IANA time zone such as Europe\/Stockholm/)]);
  });
});
