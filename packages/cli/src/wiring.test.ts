// The CLI reaches each machine over the transport of its protocol: APP01
// over SSH and WEB01 over WinRM (HTTPS, pinned certificate).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { mapDemo, startCli, type CliFixture } from '../test/cliHarness.js';

let cli: CliFixture | undefined;

afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

const web = (c: CliFixture) => {
  const host = c.running.fleet.hostByKey.get('web01');
  if (host === undefined) {
    throw new Error('no web01');
  }

  return host;
};

interface JobData {
  readonly jobId: string;
  readonly status: string;
  readonly dependents: ReadonlyArray<{ machine: string; outcome: string }>;
}

describe('the CLI over WinRM', () => {
  it('rotates a WinRM machine and an SSH machine in one job', async () => {
    cli = await startCli();
    const inventory = readFileSync(join(cli.dir, 'rotor.yaml'), 'utf8');
    expect(inventory).toMatch(/protocol: winrm/);
    expect(inventory).toMatch(/certificateFingerprint: [0-9a-f]{64}/);
    await mapDemo(cli);
    const job = await cli.json<JobData>('rotate', '-r', 'svc-app');
    expect(job.status).toBe('finished');
    const webRows = job.dependents.filter((d) => d.machine === 'WEB01');
    expect(webRows.map((d) => d.outcome)).toEqual([
      'password set',
      'password set, recycled',
    ]);
    const pool = [...web(cli).appPools.values()].find(
      (p) => p.name === 'AppPool',
    );
    const password = pool?.password ?? '';
    expect(password).not.toBe('Old-Passw0rd!');
    expect(cli.running.fleet.domain?.verify('svc-app', password)._tag).toBe(
      'Right',
    );
    expect(
      web(cli).counters({ kind: 'iis', name: 'AppPool' }).credentialSets,
    ).toBe(1);
  });

  it('refuses a certificate that is not the pinned one, and sends nothing', async () => {
    cli = await startCli();
    const path = join(cli.dir, 'rotor.yaml');
    const [marker, ...rest] = readFileSync(path, 'utf8').split('\n');
    const doc = parse(rest.join('\n')) as {
      machines: Array<{ name: string; trust: Record<string, string> }>;
    };
    for (const m of doc.machines) {
      if (m.name === 'WEB01') {
        m.trust = { certificateFingerprint: 'ab'.repeat(32) };
      }
    }
    writeFileSync(path, `${marker ?? ''}\n${stringify(doc)}`);
    await mapDemo(cli);
    const r = await cli.run('rotate', '-r', 'svc-app', '--wait');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/WEB01: MACHINE FAILED: TlsMismatch/);
    expect(r.stdout).toContain('APP01: AppSvc: restarted');
    expect(
      web(cli).counters({ kind: 'iis', name: 'AppPool' }).credentialSets,
    ).toBe(0);
  });
});
