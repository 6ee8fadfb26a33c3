// How a job state holds its machines. The public shape is a plain record
// (`state.machines[uid]`), but copying a record of N machines for every
// event makes a job of N machines cost O(N²). So the reducer keeps the
// machines in a persistent table, shared between successive states, and a
// state's `machines` is an enumerable getter that builds the record the
// first time it is read (and keeps it). The engine and the planner read one
// machine through the table ({@link machineOf}) and never build the record.
import type { MachineProgress } from './jobState.js';
import {
  emptyTable,
  recordOfTable,
  tableGet,
  tableOfRecord,
  tableSet,
  type Table,
} from './jobStateTable.js';

/** The machines of a job, persistent. @category model */
export type MachineTable = Table<MachineProgress>;

type Machines = Readonly<Record<string, MachineProgress>>;

// State object (or a machines record) -> its table.
const tables = new WeakMap<object, MachineTable>();

/**
 * The persistent table of a state's machines: the one the reducer built
 * it with, or one made (once) from a state written out by hand.
 *
 * @category utils
 */
export const machineTableOf = (state: {
  readonly machines: Machines;
}): MachineTable => {
  const own = tables.get(state);
  if (own !== undefined) {
    return own;
  }
  const record = state.machines;
  const made = tables.get(record) ?? tableOfRecord(record);
  tables.set(record, made);

  return made;
};

/**
 * One machine of a table, or `undefined`.
 *
 * @category utils
 */
export const machineAt = (
  table: MachineTable,
  machineUid: string,
): MachineProgress | undefined => tableGet(table, machineUid);

/** A table with one machine replaced. @category utils */
export const withMachineIn = (
  table: MachineTable,
  machineUid: string,
  machine: MachineProgress,
): MachineTable => tableSet(table, machineUid, machine);

/** A table with no machine. @category constructors */
export const noMachines = (): MachineTable => emptyTable();

// Where `machines` goes among a state's keys: before these, as the JobState
// type lists them.
const after = new Set(['restartNow', 'reopened', 'end']);

/**
 * A state made of `fields` and machines `table`: `machines` is an own,
 * enumerable property whose record is built on first read, so the state
 * compares, spreads and serializes as a plain one does.
 *
 * @category constructors
 */
export const withMachines = <S extends { readonly machines: Machines }>(
  fields: Omit<S, 'machines'>,
  table: MachineTable,
): S => {
  const state: Record<string, unknown> = {};
  let record: Machines | undefined;
  const machines = (): Machines => {
    if (record === undefined) {
      record = recordOfTable(table);
      tables.set(record, table);
    }

    return record;
  };
  const define = () =>
    Object.defineProperty(state, 'machines', {
      get: machines,
      enumerable: true,
      configurable: false,
    });
  let defined = false;
  for (const [key, value] of Object.entries(fields)) {
    if (!defined && after.has(key)) {
      define();
      defined = true;
    }
    state[key] = value;
  }
  if (!defined) {
    define();
  }
  tables.set(state, table);

  return state as unknown as S;
};
