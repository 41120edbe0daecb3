// The renderer's one typed client. `api.circles.create(input)` is checked against the
// contract at compile time and validated again in main; a failure arrives as an ApiError
// carrying the contract's error shape.
import type { Contract } from '../../../shared/contract';
import type { CallInput, CallResult, CallSpec } from '../../../shared/contract/define';
import type { PlenaryTransport } from '../../../shared/contract/preload-api';
import type { ErrorCode, PlenaryErrorData } from '../../../shared/errors';

export class ApiError extends Error implements PlenaryErrorData {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly params?: Record<string, string | number>;
  constructor(data: PlenaryErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    if (data.field !== undefined) this.field = data.field;
    if (data.params !== undefined) this.params = data.params;
  }
}

export type Api = {
  [NS in keyof Contract]: {
    [M in keyof Contract[NS]]: Contract[NS][M] extends CallSpec
      ? (input: CallInput<Contract[NS][M]>) => Promise<CallResult<Contract[NS][M]>>
      : never;
  };
};

export function createApi(transport: PlenaryTransport): Api {
  return new Proxy({} as Api, {
    get(_target, namespace) {
      if (typeof namespace !== 'string') return undefined;
      return new Proxy(
        {},
        {
          get(_inner, method) {
            if (typeof method !== 'string') return undefined;
            return async (input: unknown) => {
              const outcome = await transport.invoke(`${namespace}.${method}`, input ?? {});
              if (!outcome.ok) throw new ApiError(outcome.error);
              return outcome.value;
            };
          },
        },
      );
    },
  });
}

let current: { api: Api; transport: PlenaryTransport } | null = null;

export function installApi(transport: PlenaryTransport): Api {
  current = { api: createApi(transport), transport };
  return current.api;
}

/** The installed client; main.tsx installs it before the first render. */
export function api(): Api {
  if (!current) throw new Error('The Plenary API is used before installApi() ran');
  return current.api;
}

export function onEvent(listener: (event: string, payload: unknown) => void): () => void {
  if (!current) throw new Error('The Plenary API is used before installApi() ran');
  return current.transport.on(listener);
}
