// Validates and routes calls. Both the Electron IPC handler and the browser bridge go
// through here, so a call is checked the same way whichever transport carried it.
import type { z } from 'zod';
import { callSpecs, type CallName, type Calls, type CallParsed, type CallResult } from '../../shared/contract';
import { PlenaryError, schemaIssueReason, type CallOutcome } from '../../shared/errors';
import type { Logger } from './log';

export interface CallContext {
  transport: 'ipc' | 'bridge' | 'test';
}

export type Handler<K extends CallName> = (
  input: CallParsed<Calls[K]>,
  context: CallContext,
) => Promise<CallResult<Calls[K]>> | CallResult<Calls[K]>;

export type Handlers = { [K in CallName]: Handler<K> };

export type Dispatch = (channel: unknown, input: unknown, context: CallContext) => Promise<CallOutcome<unknown>>;

/** Turns a schema failure into an error that names the field and what was wrong with it. */
export function validationError(error: z.ZodError, channel: string): PlenaryError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const detail = issue ? issue.message : 'invalid input';
  const message = field ? `${channel}: field "${field}": ${detail}` : `${channel}: ${detail}`;
  const reason = schemaIssueReason(issue);
  const params = { ...(field === undefined ? {} : { field }), detail, ...(reason ? { reason } : {}) };
  return new PlenaryError('invalid_input', message, field === undefined ? { params } : { field, params });
}

export interface DispatcherOptions {
  /** Puts a failure the handler did not anticipate in words the member can act on (a full disk, …); null to leave it internal. */
  describeFailure?: (cause: unknown, channel: string) => PlenaryError | null;
}

export function createDispatcher(handlers: Handlers, log: Logger, options: DispatcherOptions = {}): Dispatch {
  return async (channel, input, context) => {
    if (typeof channel !== 'string' || !callSpecs.has(channel)) {
      const shown = typeof channel === 'string' ? channel.slice(0, 80) : typeof channel;
      log.warn('rejected call to unknown channel', { channel: shown, transport: context.transport });
      return { ok: false, error: new PlenaryError('unknown_channel', `Unknown channel "${shown}"`, { params: { channel: shown } }).toJSON() };
    }
    const spec = callSpecs.get(channel)!;
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const error = validationError(parsed.error, channel);
      log.warn('rejected call with invalid input', { channel, transport: context.transport, reason: error.message });
      return { ok: false, error: error.toJSON() };
    }
    const handler = handlers[channel as CallName] as (input: unknown, context: CallContext) => unknown;
    try {
      const value = await handler(parsed.data, context);
      return { ok: true, value };
    } catch (cause) {
      if (cause instanceof PlenaryError) {
        log.info('call failed', { channel, code: cause.code, reason: cause.message });
        return { ok: false, error: cause.toJSON() };
      }
      const described = options.describeFailure?.(cause, channel);
      if (described) {
        log.warn('call failed', { channel, code: described.code, reason: described.message });
        return { ok: false, error: described.toJSON() };
      }
      const message = cause instanceof Error ? cause.message : String(cause);
      log.error('call crashed', { channel, reason: message, stack: cause instanceof Error ? cause.stack : undefined });
      return { ok: false, error: { code: 'internal', message: `${channel} failed: ${message}` } };
    }
  };
}
