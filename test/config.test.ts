import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  test('defaults make a loopback development instance on SQLite', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/onboarding.db',
      devMode: true,
      logLevel: 'info',
    });
    expect(c.workflow.url).toBe('http://127.0.0.1:3978/workflow/v1');
  });

  test('an empty variable counts as unset', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '  ', MicrosoftAppId: '', LOG_LEVEL: '' });
    expect(c).toMatchObject({
      port: 3978,
      databaseUrl: 'sqlite:data/onboarding.db',
      devMode: true,
      logLevel: 'info',
    });
  });

  test('each bad value is named', () => {
    const bad: Record<string, string> = {
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      BUSINESS_TIMEZONE: 'Mars/Olympus',
      HOLIDAY_COUNTRY: 'china',
      EXTRA_HOLIDAYS: '2026-13',
      WORKFLOW_URL: 'not a url',
    };
    for (const [name, value] of Object.entries(bad)) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    }
  });

  test('production needs real secrets and may listen on all interfaces', () => {
    const secret = 'x'.repeat(40);
    const c = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'pw',
      WORKFLOW_API_TOKEN: secret,
      NOTIFY_SECRET: secret,
      BD_USER_IDS: 'a, b ,,c',
    });
    expect(c).toMatchObject({ devMode: false, host: '0.0.0.0' });
    expect(c.roles.bd).toEqual(['a', 'b', 'c']);
    expect(() =>
      loadConfig({
        MicrosoftAppId: 'app',
        MicrosoftAppPassword: 'pw',
        WORKFLOW_API_TOKEN: 'short',
        NOTIFY_SECRET: secret,
      }),
    ).toThrow('WORKFLOW_API_TOKEN');
  });
});
