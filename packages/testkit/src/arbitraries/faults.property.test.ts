import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Machine } from '@rotor/core';
import { demoFleet } from '../sim/demoFleet.js';
import { simScript } from '../sim/executeOnSimHost.js';
import { createSimTransport } from '../sim/simTransport.js';
import { faultPlanArb } from './faults.js';

describe('faultPlanArb', () => {
  it('names only the given machines, and the transport honours the plan', async () => {
    const uids = [...demoFleet().machines.values()].map((m) => m.uid as string);
    await fc.assert(
      fc.asyncProperty(
        faultPlanArb(uids, {
          dependents: ['AppSvc', 'AppPool'],
          maxLatencyMs: 50,
        }),
        async (plan) => {
          const named = [
            ...(plan.unreachable ?? []),
            ...(plan.logonRefused ?? []),
            ...(plan.transient ?? []).map((t) => t.machineUid),
            ...(plan.failingSteps ?? []).map((s) => s.machineUid),
          ];
          expect(named.every((u) => uids.includes(u))).toBe(true);
          const fleet = demoFleet();
          const transport = createSimTransport({
            hosts: fleet.hosts,
            faults: plan,
            delay: () => Promise.resolve(),
          });
          for (const machine of fleet.machines.values()) {
            const result = await transport.run(
              machine as Machine,
              {
                operation: 'enumerate-dependents',
                script: simScript('enumerate-dependents'),
                input: '{"kinds":["service"]}',
              },
              { timeoutMs: 1000 },
            );
            if ((plan.unreachable ?? []).includes(machine.uid)) {
              expect(E.isLeft(result) && result.left.code).toBe('Unreachable');
            } else if ((plan.logonRefused ?? []).includes(machine.uid)) {
              expect(E.isLeft(result) && result.left).toMatchObject({
                code: 'LogonRefused',
                transient: false,
              });
            } else if (E.isLeft(result)) {
              expect(result.left.transient).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
