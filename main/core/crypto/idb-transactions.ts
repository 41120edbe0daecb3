// fake-indexeddb keeps every transaction in its database's list, and takes a finished one out
// only in a later macrotask. The Rust crypto store opens several short read-only
// transactions per decryption (the room key, the sender's device, identities), and while
// decryptions follow one another those removals fall behind: we measured the list at about
// 1,500 finished transactions after 1,000 decryptions, growing without bound. Every new
// transaction scans that list (FDBDatabase.transaction, then Database.processTransactions),
// so decrypting a room's history cost time quadratic in its length.
//
// pruneFinishedTransactions() drops finished transactions (never a versionchange one, which
// the upgrade steps still look for) from the list as each new transaction is created. Every
// reader of the list already skips finished transactions, and the late removal finds nothing
// to remove, so nothing else changes. If fake-indexeddb's internals are not as expected (a
// new version), it does nothing and logs nothing: the store still works, only slower.
import * as FakeIdb from 'fake-indexeddb';

interface RawTransaction {
  _state?: unknown;
  mode?: unknown;
}

type TransactionMethod = (this: { _rawDatabase?: { transactions?: unknown } }, ...args: unknown[]) => unknown;

const marker = Symbol.for('plenary.pruneFinishedTransactions');

/** Removes finished transactions (not versionchange ones) from the list, in place; how many it removed. */
export function pruneFinished(list: RawTransaction[]): number {
  let kept = 0;
  for (let read = 0; read < list.length; read++) {
    const transaction = list[read]!;
    if (transaction._state === 'finished' && transaction.mode !== 'versionchange') continue;
    list[kept++] = transaction;
  }
  const removed = list.length - kept;
  list.length = kept;
  return removed;
}

/** Installs the pruning once per process; true when it is (now or already) installed. */
export function pruneFinishedTransactions(): boolean {
  const prototype = (FakeIdb.IDBDatabase as unknown as { prototype: Record<PropertyKey, unknown> }).prototype;
  const original = prototype.transaction;
  if (typeof original !== 'function') return false;
  if ((original as unknown as Record<symbol, unknown>)[marker]) return true;
  const wrapped: TransactionMethod = function (this, ...args) {
    const list = this._rawDatabase?.transactions;
    if (Array.isArray(list)) pruneFinished(list as RawTransaction[]);
    return (original as TransactionMethod).apply(this, args);
  };
  Object.defineProperty(wrapped, marker, { value: true });
  prototype.transaction = wrapped;
  return true;
}
