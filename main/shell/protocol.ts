// Links handed to Plenary from outside: registers the plenary:// protocol and listens for
// links on every path they arrive by (macOS open-url, a second instance's arguments on
// Windows and Linux, and the arguments of the launch itself). Parsing and the decisions are
// in the core (policy/deep-link.ts); anything malformed is logged and ignored, and a
// failure here never takes the app down.
import { app } from 'electron';
import { resolve } from 'node:path';
import type { Logger } from '../core/log';
import { deepLinkFromArgv, deepLinkScheme, forLog, parseDeepLink, type DeepLinkAction } from '../core/policy/deep-link';

export interface DeepLinks {
  /** Handles a launch's arguments (the first launch, or a second instance's). */
  handleArgv(argv: readonly unknown[]): boolean;
  /** Starts delivering links (queued ones too) once the app can open meetings. */
  ready(handle: (action: DeepLinkAction) => void): void;
}

/** Call before app is ready: macOS may deliver open-url before it. */
export function registerDeepLinks(log: Logger): DeepLinks {
  let handler: ((action: DeepLinkAction) => void) | null = null;
  const queued: DeepLinkAction[] = [];

  const deliver = (action: DeepLinkAction) => {
    if (!handler) {
      queued.push(action);
      return;
    }
    try {
      handler(action);
    } catch (error) {
      log.error('handling a deep link failed', { reason: error instanceof Error ? error.message : String(error) });
    }
  };

  try {
    // In development Electron runs as `electron .`, so the app path must be passed along.
    const path = process.defaultApp ? process.execPath : undefined;
    const args = process.defaultApp ? [resolve(process.argv[1] ?? '.')] : undefined;
    // Intended: every plenary:// link goes through parseDeepLink and the join policy (main/core/policy/deep-link.ts) before anything opens.
    const registered = app.setAsDefaultProtocolClient(deepLinkScheme, path, args); // eng-disable PROTOCOL_HANDLER_JS_CHECK
    if (!registered) log.warn('could not register the plenary:// protocol with the system');
  } catch (error) {
    log.warn('could not register the plenary:// protocol with the system', { reason: error instanceof Error ? error.message : String(error) });
  }

  app.on('open-url', (event, url) => {
    event.preventDefault();
    try {
      const result = parseDeepLink(url);
      if (result.ok) deliver(result.action);
      else log.warn('ignored a malformed link', { link: forLog(String(url)), reason: result.reason });
    } catch (error) {
      log.warn('ignored a link that could not be read', { reason: error instanceof Error ? error.message : String(error) });
    }
  });

  return {
    handleArgv(argv) {
      try {
        const { action, rejected } = deepLinkFromArgv(argv);
        for (const r of rejected) log.warn('ignored a malformed link in the command line', { link: r.arg, reason: r.reason });
        if (action) deliver(action);
        return action !== null;
      } catch (error) {
        log.warn('ignored command-line arguments that could not be read', { reason: error instanceof Error ? error.message : String(error) });
        return false;
      }
    },
    ready(handle) {
      handler = handle;
      for (const action of queued.splice(0)) deliver(action);
    },
  };
}
