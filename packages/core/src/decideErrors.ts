import type { DependentKind } from './dependent.js';

/**
 * Why a command was refused. Each names the uid or value at fault; the
 * checks run in the order the union lists them, and the first that fails
 * is the one reported.
 *
 * @category model
 */
export type DecideError =
  | { readonly _tag: 'InvalidScope'; readonly given: ReadonlyArray<string> }
  | { readonly _tag: 'UnknownMachine'; readonly machineUid: string }
  | {
      readonly _tag: 'NotAMachine';
      readonly uid: string;
      readonly recordType: string;
    }
  | {
      readonly _tag: 'MachineNotOnGateway';
      readonly machineUid: string;
      readonly machineGatewayUid: string;
      readonly gatewayUid: string;
    }
  | { readonly _tag: 'UnknownUser'; readonly userUid: string }
  | {
      readonly _tag: 'NotAUser';
      readonly uid: string;
      readonly recordType: string;
    }
  | {
      readonly _tag: 'MachineNotWindows';
      readonly machineUid: string;
      readonly reason: 'missing' | 'blank' | 'other';
      readonly os?: string;
    }
  | { readonly _tag: 'InvalidKind'; readonly kind: string }
  | {
      /**
       * A local account exists only on its own machine (the user's
       * `passwordHostUid`): it cannot be mapped to another one, and one
       * whose record names no machine cannot be mapped at all.
       */
      readonly _tag: 'LocalUserElsewhere';
      readonly userUid: string;
      readonly machineUid: string;
      /** The user's own machine; absent when the record names none. */
      readonly homeMachineUid?: string;
    }
  | {
      readonly _tag: 'NoMappings';
      readonly userUid: string;
      readonly gatewayUid: string;
      readonly reason:
        | 'not-mapped'
        | 'user-disabled'
        | 'machines-disabled'
        | 'machines-unusable';
    };

/**
 * Something the operator should know about a command that succeeded.
 *
 * - `MappingNotFound`: mappings to remove did not exist (the kinds named
 *   that were not mapped; all three when none was named and nothing was).
 * - `JobAlreadyRunning`: the user already has a running job; its id is the
 *   decision's `jobId` and nothing was scheduled.
 * - `MachineSkipped`: a mapped machine was left out of a rotation because
 *   the inventory no longer lets it take part.
 * - `MachineDisabled`: a mapped machine is disabled, so a rotation leaves
 *   its dependents with the old password until it is enabled and rotated.
 *
 * @category model
 */
export type Warning =
  | {
      readonly _tag: 'MappingNotFound';
      readonly machineUid: string;
      readonly userUid: string;
      readonly kinds: ReadonlyArray<DependentKind>;
    }
  | {
      readonly _tag: 'JobAlreadyRunning';
      readonly jobId: string;
      readonly userUid: string;
    }
  | {
      readonly _tag: 'MachineSkipped';
      readonly machineUid: string;
      readonly error: DecideError;
    }
  | {
      readonly _tag: 'MachineDisabled';
      readonly machineUid: string;
    };

const noMappings: Record<
  Extract<DecideError, { _tag: 'NoMappings' }>['reason'],
  string
> = {
  'not-mapped': 'has no mappings',
  'user-disabled': 'is disabled',
  'machines-disabled': 'is mapped only to disabled machines',
  'machines-unusable': 'is mapped only to machines that cannot be used',
};

const osProblem = (e: Extract<DecideError, { _tag: 'MachineNotWindows' }>) =>
  e.reason === 'other'
    ? `has os "${e.os ?? ''}", not windows`
    : `has ${e.reason === 'missing' ? 'no' : 'a blank'} os; ` +
      'rotor needs windows';

/**
 * One line for a human about a {@link DecideError}.
 *
 * @category destructors
 */
export const describeDecideError = (e: DecideError): string => {
  switch (e._tag) {
    case 'InvalidScope':
      return e.given.length === 0
        ? 'name a machine uid or a user uid'
        : 'name either a machine uid or a user uid, not both';
    case 'UnknownMachine':
      return `no record has uid ${e.machineUid}`;
    case 'NotAMachine':
      return `record ${e.uid} is a ${e.recordType}, not a machine`;
    case 'MachineNotOnGateway':
      return (
        `machine ${e.machineUid} is served by gateway ` +
        `${e.machineGatewayUid}, not ${e.gatewayUid}`
      );
    case 'UnknownUser':
      return `no record has uid ${e.userUid}`;
    case 'NotAUser':
      return `record ${e.uid} is a ${e.recordType}, not a user`;
    case 'MachineNotWindows':
      return `machine ${e.machineUid} ${osProblem(e)}`;
    case 'InvalidKind':
      return `kind "${e.kind}" is not one of service, task, iis`;
    case 'LocalUserElsewhere':
      return e.homeMachineUid === undefined
        ? `user ${e.userUid} is a local account whose record names no ` +
            `machine (passwordHostUid); it cannot be mapped to ${e.machineUid}`
        : `user ${e.userUid} is a local account of machine ` +
            `${e.homeMachineUid}; it does not exist on machine ${e.machineUid}`;
    case 'NoMappings':
      return (
        `user ${e.userUid} ${noMappings[e.reason]} on gateway ` +
        `${e.gatewayUid}; nothing to rotate`
      );
  }
};

/**
 * One line for a human about a {@link Warning}.
 *
 * @category destructors
 */
export const describeWarning = (w: Warning): string => {
  switch (w._tag) {
    case 'MappingNotFound':
      return (
        `user ${w.userUid} was not mapped to machine ${w.machineUid} ` +
        `for ${w.kinds.join(', ')}; nothing to remove`
      );
    case 'JobAlreadyRunning':
      return `user ${w.userUid} already has job ${w.jobId} running`;
    case 'MachineSkipped':
      return `machine ${w.machineUid} skipped: ${describeDecideError(w.error)}`;
    case 'MachineDisabled':
      return `machine ${w.machineUid} is disabled: its dependents keep the old password (service enable, then rotate again)`;
  }
};
