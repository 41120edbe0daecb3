// Persists the Matrix session: who is signed in where (SQLite) and the access token
// (SecretStore only: encrypted with safeStorage in the desktop app, or held in memory until
// it quits when the computer has no usable keychain; a 0600 file in the browser bridge).
// The token is cached in memory so each request does not decrypt it.
import type { Db } from '../store/database';
import type { SecretStore } from '../secrets/secret-store';
import type { MatrixSession } from './matrix-connection';
import { defaultElementUrl } from '../../../shared/contract/matrix';

export const accessTokenSecret = 'matrix.accessToken';
const elementUrlKey = 'matrix.elementUrl';

export class SessionStore {
  private token: string | undefined | null = null;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
  ) {}

  session(): MatrixSession | null {
    const row = this.db.prepare('SELECT homeserver_url, user_id, device_id FROM matrix_session WHERE id = 1').get() as
      | { homeserver_url: string; user_id: string; device_id: string }
      | undefined;
    return row ? { homeserverUrl: row.homeserver_url, userId: row.user_id, deviceId: row.device_id } : null;
  }

  accessToken(): string | undefined {
    if (this.token === null) this.token = this.secrets.get(accessTokenSecret);
    return this.token;
  }

  /** Stores a new session; the sync position starts over because it belongs to the old one. */
  save(session: MatrixSession, accessToken: string, now: number): void {
    this.secrets.set(accessTokenSecret, accessToken);
    this.token = accessToken;
    this.db
      .prepare(
        `INSERT INTO matrix_session (id, homeserver_url, user_id, device_id, signed_in_at, sync_since) VALUES (1, ?, ?, ?, ?, NULL)
         ON CONFLICT(id) DO UPDATE SET homeserver_url = excluded.homeserver_url, user_id = excluded.user_id,
           device_id = excluded.device_id, signed_in_at = excluded.signed_in_at, sync_since = NULL`,
      )
      .run(session.homeserverUrl, session.userId, session.deviceId, now);
  }

  clear(): void {
    this.secrets.delete(accessTokenSecret);
    this.token = undefined;
    this.db.prepare('DELETE FROM matrix_session').run();
  }

  syncSince(): string | null {
    const row = this.db.prepare('SELECT sync_since FROM matrix_session WHERE id = 1').get() as { sync_since: string | null } | undefined;
    return row?.sync_since ?? null;
  }

  saveSyncSince(since: string): void {
    this.db.prepare('UPDATE matrix_session SET sync_since = ? WHERE id = 1').run(since);
  }

  elementUrl(): string {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(elementUrlKey) as { value: string } | undefined;
    return row?.value ?? defaultElementUrl;
  }

  setElementUrl(url: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(elementUrlKey, url.replace(/\/+$/, ''));
  }
}
