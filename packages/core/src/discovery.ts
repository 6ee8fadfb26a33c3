import * as E from 'fp-ts/lib/Either.js';
import { checkMachine, checkUser, checkWindows } from './decideChecks.js';
import type { Warning } from './decideErrors.js';
import { mappingRevision } from './decideMappings.js';
import type { CommandMeta, DecideContext, Decision } from './decideTypes.js';
import type { DependentKind } from './dependent.js';
import type {
  DependentsDiscovered,
  MappingAdded,
  RotorEvent,
} from './events.js';
import { mappingStream } from './events.js';
import type { Failure } from './failure.js';
import type { GatewayState } from './gatewayState.js';
import { mappingKey } from './gatewayState.js';
import type { Uid } from './uid.js';

/**
 * One service, task or pool discovery saw, with the account it runs as;
 * `userUid` when that account is a known user and the dependent holds its
 * password (so a rotation of that user would update it).
 *
 * @category model
 */
export type DiscoveredDependent =
  DependentsDiscovered['data']['dependents'][number];

/**
 * What discovery found on one machine, or why it could not look.
 *
 * @category model
 */
export interface DiscoveryResult {
  readonly machineUid: Uid;
  readonly outcome: E.Either<Failure, ReadonlyArray<DiscoveredDependent>>;
}

/**
 * Record what discovery found (`DependentsDiscovered`, `DiscoveryFailed`)
 * and, with `map`, add the mappings it implies.
 *
 * @category commands
 */
export interface RecordDiscovery extends CommandMeta {
  readonly type: 'RecordDiscovery';
  readonly results: ReadonlyArray<DiscoveryResult>;
  readonly map: boolean;
}

/**
 * The (machine, user, kind) mappings the results imply that the gateway
 * does not have yet, in the order found. A machine that could not be
 * read implies nothing, and nothing is ever removed.
 *
 * @category utils
 */
export const impliedMappings = (
  state: GatewayState,
  results: ReadonlyArray<DiscoveryResult>,
): ReadonlyArray<{
  readonly machineUid: Uid;
  readonly userUid: Uid;
  readonly kind: DependentKind;
}> => {
  const seen = new Set(state.mappings.keys());
  const implied: Array<{ machineUid: Uid; userUid: Uid; kind: DependentKind }> =
    [];
  for (const r of results) {
    if (E.isLeft(r.outcome)) {
      continue;
    }
    for (const d of r.outcome.right) {
      if (d.userUid === undefined) {
        continue;
      }
      const m = { machineUid: r.machineUid, userUid: d.userUid, kind: d.kind };
      const key = mappingKey(m);
      if (!seen.has(key)) {
        seen.add(key);
        implied.push(m);
      }
    }
  }

  return implied;
};

/**
 * Decides a {@link RecordDiscovery}: the discovery events for each machine,
 * then (with `map`) a `MappingAdded` per implied mapping, all appended to
 * the gateway's mapping stream at once. A machine the inventory does not
 * let take part (gone, another gateway, not windows) is skipped with a
 * `MachineSkipped` warning; so is an implied user that is not a user.
 *
 * @category deciders
 */
export const decideDiscovery = (
  command: RecordDiscovery,
  state: GatewayState,
  context: DecideContext,
): Decision => {
  const { by, at } = command;
  const { gatewayUid } = context;
  const warnings: Warning[] = [];
  const usable = command.results.filter((r) => {
    const checked = E.chain(checkWindows)(checkMachine(context, r.machineUid));
    if (E.isLeft(checked)) {
      warnings.push({
        _tag: 'MachineSkipped',
        machineUid: r.machineUid,
        error: checked.left,
      });
    }

    return E.isRight(checked);
  });
  const events: RotorEvent[] = usable.map((r): RotorEvent =>
    E.isRight(r.outcome)
      ? {
          type: 'DependentsDiscovered',
          data: {
            gatewayUid,
            machineUid: r.machineUid,
            dependents: [...r.outcome.right],
            by,
            at,
          },
        }
      : {
          type: 'DiscoveryFailed',
          data: {
            gatewayUid,
            machineUid: r.machineUid,
            error: r.outcome.left,
            by,
            at,
          },
        },
  );
  if (command.map) {
    for (const m of impliedMappings(state, usable)) {
      if (E.isLeft(checkUser(context, m.userUid))) {
        continue;
      }
      const added: MappingAdded = {
        type: 'MappingAdded',
        data: { gatewayUid, ...m, by, at },
      };
      events.push(added);
    }
  }

  return {
    stream: mappingStream(gatewayUid),
    expected: mappingRevision(state),
    events,
    warnings,
  };
};
