// Reads and writes the member's push rules on the coop server: per-room notification levels
// and keywords. The server is the only copy that counts (Element reads it too), so a change
// needs the server: offline, the member is told so, nothing is queued or half-applied.
import { PlenaryError } from '../../../shared/errors';
import { MatrixHttpError, MatrixNetworkError } from '../matrix/matrix-connection';
import type { MatrixConnectionService } from '../matrix/matrix-connection-service';
import { seg } from '../matrix/matrix-http';
import type { Logger } from '../log';
import type { ChatStore } from './chat-store';
import { globalRules, keywordsFrom, levelFor, opsAddKeyword, opsForLevel, opsRemoveKeyword, type NotifyLevel, type RuleOp, type RuleSet } from './push-rules';

export const pushRulesType = 'm.push_rules';

export class PushRulesService {
  constructor(
    private readonly store: ChatStore,
    private readonly matrix: MatrixConnectionService,
    private readonly log: Logger,
    private readonly changed: () => void,
  ) {}

  /** The rules as last synced (or fetched). */
  rules(): RuleSet {
    return globalRules(this.store.accountData(pushRulesType));
  }

  level(roomId: string): NotifyLevel {
    return levelFor(this.rules(), roomId);
  }

  keywords(): string[] {
    return keywordsFrom(this.rules());
  }

  /** GET /pushrules/ (on sign-in and after each change), so the cache is the server's. */
  async refresh(): Promise<RuleSet> {
    const fresh = await this.matrix.request('GET', '/_matrix/client/v3/pushrules/');
    if (this.store.setAccountData(pushRulesType, fresh)) this.changed();
    return globalRules(fresh);
  }

  refreshQuietly(): void {
    this.refresh().catch((error: unknown) => this.log.info('push rules not fetched; they come with the sync', { reason: error instanceof Error ? error.message : String(error) }));
  }

  setLevel(roomId: string, level: NotifyLevel): Promise<void> {
    return this.change('Changing the notification level', (rules) => opsForLevel(rules, roomId, level));
  }

  addKeyword(keyword: string): Promise<void> {
    return this.change('Adding the keyword', (rules) => opsAddKeyword(rules, keyword));
  }

  removeKeyword(keyword: string): Promise<void> {
    return this.change('Removing the keyword', (rules) => opsRemoveKeyword(rules, keyword));
  }

  private async change(what: string, plan: (rules: RuleSet) => RuleOp[]): Promise<void> {
    if (this.matrix.view().paused) throw new PlenaryError('offline', `${what} needs the coop server: connect and try again`, { params: { reason: 'pushRules' } });
    // Planned against the server's rules, and checked before any call (a bad keyword throws here).
    const ops = plan(await this.call(what, () => this.refresh()));
    for (const op of ops) {
      const path = `/_matrix/client/v3/pushrules/global/${op.kind}/${seg(op.ruleId)}`;
      await this.call(what, async () => {
        try {
          await (op.method === 'PUT' ? this.matrix.request('PUT', path, { body: op.body }) : this.matrix.request('DELETE', path));
        } catch (error) {
          // Already gone (e.g. removed by Element meanwhile) is what was wanted.
          if (!(op.method === 'DELETE' && error instanceof MatrixHttpError && error.status === 404)) throw error;
        }
      });
    }
    if (ops.length > 0) await this.call(what, () => this.refresh());
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof PlenaryError) throw error;
      if (error instanceof MatrixNetworkError) throw new PlenaryError('offline', `${what} needs the coop server, which cannot be reached: try again when connected`, { params: { reason: 'pushRules' }, cause: error });
      if (error instanceof MatrixHttpError) {
        throw new PlenaryError('remote_error', `${what}: the server refused (${error.errcode} ${error.message})`, { params: { detail: `${error.errcode}: ${error.message}` }, cause: error });
      }
      throw error;
    }
  }
}
