// Building blocks of the IPC contract. A contract is a tree of namespaces whose leaves are
// calls (an input schema validated in main, plus a phantom result type) and events (a
// phantom payload type). The wire name of a leaf is its dotted path: `circles.create`.
import type { z } from 'zod';

declare const resultBrand: unique symbol;
declare const payloadBrand: unique symbol;

export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly kind: 'call';
  readonly input: I;
  readonly [resultBrand]?: O;
}

export interface EventSpec<P = unknown> {
  readonly kind: 'event';
  readonly [payloadBrand]?: P;
}

/** Phantom marker for a call's result type: `call(schema, returns<Circle>())`. */
export function returns<O>(): { readonly __result?: O } {
  return {};
}

export function call<I extends z.ZodType, O>(input: I, _result: { readonly __result?: O }): CallSpec<I, O> {
  return { kind: 'call', input };
}

export function event<P>(): EventSpec<P> {
  return { kind: 'event' };
}

export type CallTree = { readonly [name: string]: CallSpec | CallTree };
export type EventTree = { readonly [name: string]: EventSpec };

export type CallInput<S> = S extends CallSpec<infer I, unknown> ? z.input<I> : never;
export type CallParsed<S> = S extends CallSpec<infer I, unknown> ? z.output<I> : never;
export type CallResult<S> = S extends CallSpec<z.ZodType, infer O> ? O : never;
export type EventPayload<S> = S extends EventSpec<infer P> ? P : never;

/** Flattens a call tree into `{ 'ns.name': CallSpec }`. */
export type FlatCalls<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends CallSpec
    ? { [P in `${Prefix}${K}`]: T[K] }
    : FlatCalls<T[K], `${Prefix}${K}.`>;
}[keyof T & string] extends infer U
  ? (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
    ? { [K in keyof I]: I[K] }
    : never
  : never;

/** Walks a call tree and returns every leaf with its dotted name. */
export function flattenCalls(tree: CallTree, prefix = ''): Map<string, CallSpec> {
  const out = new Map<string, CallSpec>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix + key;
    if ((value as CallSpec).kind === 'call') out.set(name, value as CallSpec);
    else for (const [k, v] of flattenCalls(value as CallTree, name + '.')) out.set(k, v);
  }
  return out;
}
