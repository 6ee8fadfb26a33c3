// `rotor discover`, `rotor service map`, and the enable/disable checks of
// `rotor service`, against the demo fleet over SSH.
import { operationOfScript } from '@rotor/windows';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mapDemo,
  refusal,
  startCli,
  type CliFixture,
} from '../../test/cliHarness.js';

let cli: CliFixture | undefined;

afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

interface Listed {
  machines: Array<{
    machine: string;
    error?: { code: string };
    dependents?: Array<{
      kind: string;
      name: string;
      account: string;
      userUid?: string;
    }>;
  }>;
  added?: Array<{ machineUid: string; userUid: string; kind: string }>;
}

describe('rotor discover', () => {
  it('lists every dependent with its account and marks known users', async () => {
    cli = await startCli();
    const data = await cli.json<Listed>('discover', '-m', 'APP01');
    const app = data.machines[0];
    const svcApp = cli.running.rotated.uid;
    const byName = new Map(app?.dependents?.map((d) => [d.name, d]));
    expect(byName.get('AppSvc')).toMatchObject({
      account: 'CONTOSO\\svc-app',
      userUid: svcApp,
    });
    expect(byName.get('ReportSvc')?.userUid).toBe(svcApp);
    expect(byName.get('AppWorker')).toMatchObject({ account: 'LocalSystem' });
    expect(byName.get('AppWorker')?.userUid).toBeUndefined();
    expect(byName.get('GmsaSvc')?.userUid).toBeUndefined();
    const text = await cli.run(
      'discover',
      '-g',
      cli.running.fleet.gateway.name,
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /WEB01\s+iis\s+AppPool\s+contoso\.com\\svc-app\s+svc-app/,
    );
  });

  it('needs exactly one of -m and -g', async () => {
    cli = await startCli();
    const both = await cli.run('discover', '-m', 'APP01', '-g', 'x');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      'exactly one of -m <machine> and -g <gateway>',
    );
    expect((await cli.run('discover')).code).toBe(2);
  });
});

describe('rotor service map', () => {
  it('adds the implied mappings, only ever adds, and an unreachable machine removes nothing', async () => {
    let webDown = false;
    cli = await startCli({
      intercept: (computer, request) =>
        webDown &&
        computer === 'WEB01' &&
        operationOfScript(request.script) === 'enumerate-dependents'
          ? refusal(5, 'ERROR_ACCESS_DENIED', 'Access is denied.')
          : undefined,
    });
    const gw = cli.running.fleet.gateway.name;
    const first = await cli.json<Listed>('service', 'map', '-g', gw);
    const added = (first.added ?? []).map((a) => a.kind).sort();
    expect(added).toEqual(['iis', 'service', 'task']);
    const list = await cli.json<{
      users: Array<{
        user: string;
        machines: Array<{ machine: string; kinds: string[] }>;
      }>;
    }>('service', 'list', '-g', gw);
    expect(list.users).toHaveLength(1);
    expect(
      list.users[0]?.machines
        .map((m) => `${m.machine} ${m.kinds.join(',')}`)
        .sort(),
    ).toEqual(['APP01 service', 'WEB01 task,iis']);

    webDown = true;
    const again = await cli.run('service', 'map', '-g', gw);
    expect(again.stdout).toContain('No new mappings');
    expect(again.stdout).toContain('1 machine(s) could not be read');
    const after = await cli.json<typeof list>('service', 'list', '-g', gw);
    expect(after).toEqual(list);
  });
});

describe('rotor service enable|disable', () => {
  it('needs exactly one of -m and -u, and list shows what is disabled', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const gw = cli.running.fleet.gateway.name;
    const neither = await cli.run('service', 'disable', '-g', gw);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain(
      'exactly one of -m <machine> and -u <user>',
    );
    const both = await cli.run(
      'service',
      'disable',
      '-g',
      gw,
      '-m',
      'APP01',
      '-u',
      'svc-app',
    );
    expect(both.code).toBe(2);
    expect(
      (await cli.run('service', 'disable', '-g', gw, '-m', 'WEB01')).code,
    ).toBe(0);
    const listed = await cli.run('service', 'list', '-g', gw);
    expect(listed.stdout).toContain('WEB01 (disabled)');
    expect(listed.stdout).not.toContain('APP01 (disabled)');
    const dry = await cli.json<{ rows: Array<{ machine: string }> }>(
      'rotate',
      '-r',
      'svc-app',
      '--dry-run',
    );
    expect(new Set(dry.rows.map((r) => r.machine))).toEqual(new Set(['APP01']));
    await cli.run('service', 'disable', '-g', gw, '-u', 'svc-app');
    expect((await cli.run('service', 'list', '-g', gw)).stdout).toContain(
      'svc-app (disabled)',
    );
    const refused = await cli.run('rotate', '-r', 'svc-app');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is disabled');
  });
});
