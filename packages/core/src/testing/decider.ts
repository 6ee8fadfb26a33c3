import { deepStrictEqual, fail } from 'node:assert/strict';
import * as E from 'fp-ts/lib/Either.js';
import { decide } from '../decide.js';
import type { DecideError, Warning } from '../decideErrors.js';
import type {
  DecideContext,
  Decision,
  GatewayCommand,
} from '../decideTypes.js';
import { RotorEventCodec } from '../events.js';
import type { RotorEvent } from '../events.js';
import { evolveGateway, initialGatewayState } from '../gatewayState.js';
import type { GatewayState } from '../gatewayState.js';

/**
 * The outcome of a command in a {@link decideSpec}, with assertions that
 * throw an `AssertionError` (which any test runner reports with a diff).
 *
 * @category testing
 */
export interface DecideOutcome {
  /** The raw result, for assertions the kit does not cover. */
  readonly result: E.Either<DecideError, Decision>;
  /** The state the command was decided on. */
  readonly state: GatewayState;
  /**
   * Asserts success with exactly these events and warnings (none unless
   * given), that every event fits its codec, and that the state accepts
   * them. Returns the decision and the state after it.
   */
  readonly thenEvents: (
    events: ReadonlyArray<RotorEvent>,
    warnings?: ReadonlyArray<Warning>,
  ) => { readonly decision: Decision; readonly next: GatewayState };
  /** Asserts that the command was refused with exactly this error. */
  readonly thenError: (error: DecideError) => void;
}

const checkEncodable = (events: ReadonlyArray<RotorEvent>) => {
  // Widened to a plain predicate: the codec's guard would narrow a failing
  // event to `never`.
  const fits = (event: RotorEvent): boolean => RotorEventCodec.is(event);
  const bad = events.find((event) => !fits(event));
  if (bad !== undefined) {
    fail(`decide emitted a ${bad.type} that does not fit its codec`);
  }
};

/**
 * A given / when / then kit for {@link decide}:
 *
 * ```ts
 * decideSpec(context)
 *   .given([mappingAdded])
 *   .when({ type: 'RemoveMapping', ... })
 *   .thenEvents([mappingRemoved]);
 * ```
 *
 * `given` folds the events with {@link evolveGateway} from the initial
 * state of `context.gatewayUid`.
 *
 * @category testing
 */
export const decideSpec = (context: DecideContext) => ({
  /** The events the gateway has seen before the command (none by default). */
  given: (history: ReadonlyArray<RotorEvent> = []) => ({
    /** Decides `command` on the state `given` folded. */
    when: (command: GatewayCommand): DecideOutcome => {
      const state = history.reduce(
        evolveGateway,
        initialGatewayState(context.gatewayUid),
      );
      const result = decide(command, state, context);

      return {
        result,
        state,
        thenEvents: (events, warnings = []) => {
          if (E.isLeft(result)) {
            fail(`expected events, got error ${result.left._tag}`);
          }
          const decision = result.right;
          deepStrictEqual(decision.events, events);
          deepStrictEqual(decision.warnings, warnings);
          checkEncodable(decision.events);

          return {
            decision,
            next: decision.events.reduce(evolveGateway, state),
          };
        },
        thenError: (error) => {
          if (E.isRight(result)) {
            fail(
              `expected error ${error._tag}, got ` +
                `${result.right.events.length} event(s)`,
            );
          }
          deepStrictEqual(result.left, error);
        },
      };
    },
  }),
});
