import * as E from 'fp-ts/lib/Either.js';
import {
  submitCommand,
  type EventStore,
  type GatewayCommand,
  type Inventory,
  type Uid,
} from '@rotor/core';

/**
 * Submits commands through the core's `submitCommand`. A refusal is
 * thrown: in this example every command is expected to be accepted.
 */
export const submitter =
  (store: EventStore, inventory: Inventory, gatewayUid: Uid) =>
  async (command: GatewayCommand): Promise<void> => {
    const submitted = await submitCommand(store, command, {
      inventory,
      gatewayUid,
    });
    if (E.isLeft(submitted)) {
      throw new Error(`${command.type} was refused: ${submitted.left._tag}`);
    }
  };
