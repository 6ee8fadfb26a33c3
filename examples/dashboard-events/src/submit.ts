import * as E from 'fp-ts/lib/Either.js';
import {
  decide,
  describeDecideError,
  evolveGateway,
  initialGatewayState,
  replay,
  type EventStore,
  type GatewayCommand,
  type Inventory,
  type Uid,
} from '@rotor/core';

/**
 * Decides a command against the gateway's state, replayed from the store,
 * and appends what it decided. A refusal is thrown: in this example every
 * command is expected to be accepted.
 */
export const submitter =
  (store: EventStore, inventory: Inventory, gatewayUid: Uid) =>
  async (command: GatewayCommand): Promise<void> => {
    const replayed = await replay(
      store.readAll(),
      initialGatewayState(gatewayUid),
      evolveGateway,
    );
    if (E.isLeft(replayed)) {
      throw new Error(`the store does not decode: ${replayed.left.type}`);
    }
    const decided = decide(command, replayed.right.state, {
      inventory,
      gatewayUid,
    });
    if (E.isLeft(decided)) {
      throw new Error(describeDecideError(decided.left));
    }
    const { stream, events, expected } = decided.right;
    if (events.length > 0) {
      const appended = await store.append(stream, events, expected);
      if (E.isLeft(appended)) {
        throw new Error(`the store refused the append: ${appended.left._tag}`);
      }
    }
  };
