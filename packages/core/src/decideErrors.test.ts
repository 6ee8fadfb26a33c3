import { describe, expect, it } from 'vitest';
import { describeDecideError, describeWarning } from './decideErrors.js';
import type { DecideError, Warning } from './decideErrors.js';

const errors: ReadonlyArray<[DecideError, string]> = [
  [{ _tag: 'InvalidScope', given: [] }, 'name a machine uid or a user uid'],
  [
    { _tag: 'InvalidScope', given: ['machineUid', 'userUid'] },
    'name either a machine uid or a user uid, not both',
  ],
  [{ _tag: 'UnknownMachine', machineUid: 'M' }, 'no record has uid M'],
  [
    { _tag: 'NotAMachine', uid: 'U', recordType: 'user' },
    'record U is a user, not a machine',
  ],
  [
    {
      _tag: 'MachineNotOnGateway',
      machineUid: 'M',
      machineGatewayUid: 'G2',
      gatewayUid: 'G',
    },
    'machine M is served by gateway G2, not G',
  ],
  [{ _tag: 'UnknownUser', userUid: 'U' }, 'no record has uid U'],
  [
    { _tag: 'NotAUser', uid: 'M', recordType: 'machine' },
    'record M is a machine, not a user',
  ],
  [
    { _tag: 'MachineNotWindows', machineUid: 'M', reason: 'missing' },
    'machine M has no os; rotor needs windows',
  ],
  [
    { _tag: 'MachineNotWindows', machineUid: 'M', reason: 'blank' },
    'machine M has a blank os; rotor needs windows',
  ],
  [
    {
      _tag: 'MachineNotWindows',
      machineUid: 'M',
      reason: 'other',
      os: 'Linux',
    },
    'machine M has os "Linux", not windows',
  ],
  [
    { _tag: 'InvalidKind', kind: 'dns' },
    'kind "dns" is not one of service, task, iis',
  ],
  [
    {
      _tag: 'NoMappings',
      userUid: 'U',
      gatewayUid: 'G',
      reason: 'user-disabled',
    },
    'user U is disabled on gateway G; nothing to rotate',
  ],
];

const warnings: ReadonlyArray<[Warning, string]> = [
  [
    {
      _tag: 'MappingNotFound',
      machineUid: 'M',
      userUid: 'U',
      kinds: ['task', 'iis'],
    },
    'user U was not mapped to machine M for task, iis; nothing to remove',
  ],
  [
    { _tag: 'JobAlreadyRunning', jobId: 'J', userUid: 'U' },
    'user U already has job J running',
  ],
  [
    {
      _tag: 'MachineSkipped',
      machineUid: 'M',
      error: { _tag: 'UnknownMachine', machineUid: 'M' },
    },
    'machine M skipped: no record has uid M',
  ],
];

describe('describeDecideError', () => {
  it.each(errors)('%j', (error, text) => {
    expect(describeDecideError(error)).toBe(text);
  });
});

describe('describeWarning', () => {
  it.each(warnings)('%j', (warning, text) => {
    expect(describeWarning(warning)).toBe(text);
  });
});
