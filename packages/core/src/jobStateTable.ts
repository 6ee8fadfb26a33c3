// A persistent (immutable, structurally shared) map from string keys to
// values: a hash array mapped trie of 32-way nodes. Setting one key copies
// only the nodes on its path (at most seven of 32 slots), so a job's state
// can change one machine without copying the others. Iteration gives the
// entries in the order their keys were first set, as a plain object would.

const bits = 5;
const width = 1 << bits;
const mask = width - 1;
// Below this depth the 32-bit hash is used up: equal hashes share a bucket.
const maxShift = 30;

interface Entry<V> {
  readonly key: string;
  readonly value: V;
  /** When the key was first set, for insertion-ordered iteration. */
  readonly seq: number;
}

interface Bucket<V> {
  readonly tag: 'bucket';
  readonly hash: number;
  readonly entries: ReadonlyArray<Entry<V>>;
}

interface Node<V> {
  readonly tag: 'node';
  readonly slots: ReadonlyArray<Slot<V>>;
}

type Slot<V> = Node<V> | Bucket<V> | undefined;

/**
 * A persistent map from strings to `V`. Built with {@link emptyTable} and
 * {@link tableSet}; every operation leaves its input as it was.
 *
 * @category model
 */
export interface Table<V> {
  readonly root: Node<V>;
  readonly size: number;
  readonly nextSeq: number;
}

// FNV-1a over UTF-16 code units: cheap, and good enough for uids.
const hashOf = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }

  return h >>> 0;
};

const emptyNode: Node<never> = {
  tag: 'node',
  slots: Array.from({ length: width }, () => undefined),
};

/**
 * A table with no entries.
 *
 * @category constructors
 */
export const emptyTable = <V>(): Table<V> => ({
  root: emptyNode,
  size: 0,
  nextSeq: 0,
});

const slotIndex = (hash: number, shift: number): number =>
  (hash >>> shift) & mask;

/**
 * The value of `key`, or `undefined`.
 *
 * @category utils
 */
export const tableGet = <V>(table: Table<V>, key: string): V | undefined => {
  const hash = hashOf(key);
  let node: Node<V> = table.root;
  for (let shift = 0; ; shift += bits) {
    const slot = node.slots[slotIndex(hash, shift)];
    if (slot === undefined) {
      return undefined;
    }
    if (slot.tag === 'bucket') {
      return slot.hash === hash
        ? slot.entries.find((e) => e.key === key)?.value
        : undefined;
    }
    node = slot;
  }
};

const withSlot = <V>(node: Node<V>, index: number, slot: Slot<V>): Node<V> => {
  const slots = node.slots.slice();
  slots[index] = slot;

  return { tag: 'node', slots };
};

// A node one level down holding two buckets whose hashes differ.
const split = <V>(a: Bucket<V>, b: Bucket<V>, shift: number): Slot<V> => {
  if (shift > maxShift) {
    // Unreachable: two different 32-bit hashes differ within 32 bits.
    throw new Error('hash trie too deep');
  }
  const ia = slotIndex(a.hash, shift);
  const ib = slotIndex(b.hash, shift);
  if (ia === ib) {
    return withSlot(emptyNode as Node<V>, ia, split(a, b, shift + bits));
  }

  return withSlot(withSlot(emptyNode as Node<V>, ia, a), ib, b);
};

interface Insert<V> {
  readonly slot: Slot<V>;
  readonly added: boolean;
}

const insert = <V>(
  slot: Slot<V>,
  hash: number,
  entry: Entry<V>,
  shift: number,
): Insert<V> => {
  if (slot === undefined) {
    return { slot: { tag: 'bucket', hash, entries: [entry] }, added: true };
  }
  if (slot.tag === 'bucket') {
    if (slot.hash !== hash) {
      const fresh: Bucket<V> = { tag: 'bucket', hash, entries: [entry] };

      return { slot: split(slot, fresh, shift), added: true };
    }
    const at = slot.entries.findIndex((e) => e.key === entry.key);
    const entries = slot.entries.slice();
    if (at < 0) {
      entries.push(entry);
    } else {
      // A key keeps the place it was first set at.
      entries[at] = { ...entry, seq: (slot.entries[at] as Entry<V>).seq };
    }

    return { slot: { tag: 'bucket', hash, entries }, added: at < 0 };
  }
  const index = slotIndex(hash, shift);
  const below = insert(slot.slots[index], hash, entry, shift + bits);

  return { slot: withSlot(slot, index, below.slot), added: below.added };
};

/**
 * A table with `key` set to `value`; `table` is unchanged. A key that was
 * set before keeps its place in the iteration order.
 *
 * @category utils
 */
export const tableSet = <V>(
  table: Table<V>,
  key: string,
  value: V,
): Table<V> => {
  const hash = hashOf(key);
  const entry: Entry<V> = { key, value, seq: table.nextSeq };
  const { slot, added } = insert(table.root, hash, entry, 0);

  return {
    root: slot as Node<V>,
    size: table.size + (added ? 1 : 0),
    nextSeq: table.nextSeq + 1,
  };
};

const collect = <V>(slot: Slot<V>, into: Array<Entry<V>>): void => {
  if (slot === undefined) {
    return;
  }
  if (slot.tag === 'bucket') {
    into.push(...slot.entries);

    return;
  }
  for (const s of slot.slots) {
    collect(s, into);
  }
};

/**
 * Every entry, in the order the keys were first set.
 *
 * @category utils
 */
export const tableEntries = <V>(
  table: Table<V>,
): ReadonlyArray<readonly [string, V]> => {
  const all: Array<Entry<V>> = [];
  collect(table.root, all);

  return all
    .sort((a, b) => a.seq - b.seq)
    .map((e): readonly [string, V] => [e.key, e.value]);
};

/**
 * A table of a record's own entries, in the record's order.
 *
 * @category constructors
 */
export const tableOfRecord = <V>(
  record: Readonly<Record<string, V>>,
): Table<V> => {
  let table = emptyTable<V>();
  for (const [key, value] of Object.entries(record)) {
    table = tableSet(table, key, value);
  }

  return table;
};

/**
 * A plain object of a table's entries, in insertion order.
 *
 * @category destructors
 */
export const recordOfTable = <V>(table: Table<V>): Record<string, V> => {
  const record: Record<string, V> = {};
  for (const [key, value] of tableEntries(table)) {
    // defineProperty: a key such as `__proto__` is an own entry, as in the
    // record the table stands for.
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  return record;
};
