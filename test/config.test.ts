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
      MicrosoftAppTenantId: 'tenant',
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

  const production = {
    MicrosoftAppId: 'app',
    MicrosoftAppPassword: 'pw',
    WORKFLOW_API_TOKEN: 'w'.repeat(40),
    NOTIFY_SECRET: 'n'.repeat(40),
  };

  test('a bot is single tenant by default, and a single-tenant bot needs its tenant id', () => {
    // A development instance has no app id: botbuilder runs it anonymously (its MultiTenant type).
    expect(loadConfig({ MicrosoftAppType: 'SingleTenant' }).bot.appType).toBe('MultiTenant');
    expect(() => loadConfig(production)).toThrow(/MicrosoftAppTenantId: required for a SingleTenant bot/);
    const c = loadConfig({ ...production, MicrosoftAppTenantId: 'contoso-tenant' });
    expect(c.bot).toMatchObject({ appType: 'SingleTenant', tenantId: 'contoso-tenant' });
    expect(loadConfig({ ...production, MicrosoftAppType: 'MultiTenant' }).bot.appType).toBe('MultiTenant');
    expect(() => loadConfig({ ...production, MicrosoftAppType: 'UserAssignedMSI' })).toThrow(
      'MicrosoftAppTenantId',
    );
    expect(() => loadConfig({ ...production, MicrosoftAppType: 'AnyTenant' })).toThrow('MicrosoftAppType');
  });

  test("the Agents Toolkit's names are accepted for the Bot Framework ones", () => {
    const c = loadConfig({
      BOT_ID: 'toolkit-app',
      SECRET_BOT_PASSWORD: 'toolkit-secret',
      BOT_TYPE: 'UserAssignedMsi', // as the Toolkit's Bicep writes it
      BOT_TENANT_ID: 'toolkit-tenant',
      WORKFLOW_API_TOKEN: 'w'.repeat(40),
      NOTIFY_SECRET: 'n'.repeat(40),
    });
    expect(c.devMode).toBe(false);
    expect(c.bot).toMatchObject({
      appId: 'toolkit-app',
      appPassword: 'toolkit-secret',
      appType: 'UserAssignedMSI',
      tenantId: 'toolkit-tenant',
    });
    const plain = { ...production, MicrosoftAppPassword: '', BOT_PASSWORD: 'plain', BOT_TYPE: 'multitenant' };
    expect(loadConfig(plain).bot).toMatchObject({
      appPassword: 'plain',
      appType: 'MultiTenant',
    });
  });

  test('one setting given under two names with different values is refused, naming both', () => {
    const both = { ...production, MicrosoftAppTenantId: 't', BOT_ID: 'another-app' };
    expect(() => loadConfig(both)).toThrow(ConfigError);
    expect(() => loadConfig(both)).toThrow('MicrosoftAppId, BOT_ID: set to different values');
    // The same value twice is fine (a Toolkit env file next to a hand-written .env).
    expect(loadConfig({ ...both, BOT_ID: 'app' }).bot.appId).toBe('app');
  });
});
