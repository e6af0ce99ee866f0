import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/index.ts';
import { DEFINE_MODULE, removeProjects, syncFile, testKinds, writeProject } from '../config/support.ts';

afterAll(removeProjects);

const config = (extra: string) => `
import { defineConfig, env } from '${DEFINE_MODULE}';
export default defineConfig({
  connections: {
    warehouse: { kind: 'duckdb', path: 'demo.duckdb' },
    hubspot: { kind: 'hubspot', accessToken: env('HUBSPOT_TOKEN') },
  },
  ${extra}
});
`;

async function load(extra: string) {
  return loadProject(writeProject({ 'syncs/ebb.config.ts': config(extra), 'syncs/people.sync.ts': syncFile() }), testKinds);
}

async function problems(extra: string): Promise<string[]> {
  const result = await load(extra);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.diagnostics.map((d) => `${d.path}: ${d.message}`);
}

describe('scheduler, alerts, retention and logging config', () => {
  it('has defaults: 2 at a time, metrics on 127.0.0.1:9464, alerts to the log, 30 days of history', async () => {
    const result = await load('');
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.config.scheduler).toEqual({ concurrency: 2, metricsPort: 9464, metricsHost: '127.0.0.1', heartbeatEveryMs: 60_000, tickMs: 5_000, evaluateEveryMs: 60_000 });
    expect(result.config.alerts).toEqual({ channels: [{ kind: 'log', name: 'log' }] });
    expect(result.config.retention).toEqual({ days: 30 });
    expect(result.config.logging).toEqual({ level: 'info' });
  });

  it('reads every setting, keeping secrets as env() references and the log file relative to the project', async () => {
    const result = await load(`
  scheduler: { concurrency: 4, metricsPort: 0, heartbeatUrl: env('HC_URL'), tick: '2s', evaluateEvery: '30s', heartbeatEvery: '5m' },
  alerts: { channels: [
    { kind: 'slack', url: env('SLACK_WEBHOOK_URL') },
    { kind: 'webhook', name: 'pager', url: 'https://hooks.example.com/ebb', secret: env('ALERT_SECRET'), headers: { 'x-team': 'data' }, timeout: '5s' },
    { kind: 'log' },
  ] },
  retention: { days: 7 },
  logging: { level: 'debug', file: 'logs/ebb.log' },`);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.config.scheduler).toEqual({ concurrency: 4, metricsPort: 0, metricsHost: '127.0.0.1', heartbeatUrl: { $env: 'HC_URL' }, heartbeatEveryMs: 300_000, tickMs: 2_000, evaluateEveryMs: 30_000 });
    expect(result.config.alerts?.channels).toEqual([
      { kind: 'slack', name: 'slack', url: { $env: 'SLACK_WEBHOOK_URL' } },
      { kind: 'webhook', name: 'pager', url: 'https://hooks.example.com/ebb', secret: { $env: 'ALERT_SECRET' }, headers: { 'x-team': 'data' }, timeoutMs: 5_000 },
      { kind: 'log', name: 'log' },
    ]);
    expect(result.config.retention).toEqual({ days: 7 });
    expect(result.config.logging).toEqual({ level: 'debug', file: join(result.config.rootDir, 'logs/ebb.log') });
  });

  it('refuses literal secrets, unknown channel kinds, duplicate channel names and bad numbers, saying what to write', async () => {
    expect(await problems(`alerts: { channels: [{ kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/xyz' }] },`)).toEqual([
      "alerts.channels[0].url: Slack's incoming-webhook URL is a secret: write it as env('SLACK_WEBHOOK_URL') (import { env } from 'ebb') and set SLACK_WEBHOOK_URL in the environment.",
    ]);
    expect((await problems(`alerts: { channels: [{ kind: 'webhook', url: 'https://x.example.com', secret: 'hunter2' }] },`))[0]).toMatch(/alerts\.channels\[0\]\.secret: The alert webhook `secret` is a secret: write it as env\('EBB_ALERT_WEBHOOK_SECRET'\)/);
    expect(await problems(`alerts: { channels: [{ kind: 'pagerduty' }] },`)).toEqual(["alerts.channels[0].kind: Each channel needs `kind`: 'slack', 'webhook' or 'log'."]);
    expect(await problems(`alerts: { channels: [{ kind: 'log' }, { kind: 'log' }] },`)).toEqual([
      'alerts.channels[1].name: Two channels are named `log`; give each a unique `name` (notifications are tracked per channel).',
    ]);
    expect((await problems('scheduler: { concurrency: 0 },'))[0]).toMatch(/scheduler\.concurrency: .*at least 1/);
    expect((await problems('scheduler: { metricsPort: 70000 },'))[0]).toMatch(/scheduler\.metricsPort: .*between 0/);
    expect((await problems("scheduler: { tick: 'soon' },"))[0]).toMatch(/scheduler\.tick: Invalid duration 'soon'/);
    expect((await problems('retention: { days: 0 },'))[0]).toMatch(/retention\.days: .*positive number of days/);
  });
});
