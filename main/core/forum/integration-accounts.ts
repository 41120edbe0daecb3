// The member's accounts on the coop's forum and cloud: which address they chose and who is
// signed in there. The key or app password itself is in the secret store (secrets/), under
// the names below; this table holds nothing secret.
import type { Db } from '../store/database';

export type IntegrationService = 'discourse' | 'nextcloud';

export const secretNames = {
  discourseKey: 'discourse.userApiKey',
  discoursePending: 'discourse.pendingKeyRequest',
  nextcloudPassword: 'nextcloud.appPassword',
} as const;

export interface IntegrationAccount {
  address: string;
  signedInUrl: string | null;
  username: string | null;
  clientId: string | null;
  signedInAt: number | null;
  expiredAt: number | null;
}

interface Row {
  address: string;
  signed_in_url: string | null;
  username: string | null;
  client_id: string | null;
  signed_in_at: number | null;
  expired_at: number | null;
}

export class IntegrationAccounts {
  constructor(private readonly db: Db) {}

  read(service: IntegrationService): IntegrationAccount {
    const row = this.db.prepare('SELECT * FROM integration_accounts WHERE service = ?').get(service) as Row | undefined;
    return {
      address: row?.address ?? '',
      signedInUrl: row?.signed_in_url ?? null,
      username: row?.username ?? null,
      clientId: row?.client_id ?? null,
      signedInAt: row?.signed_in_at ?? null,
      expiredAt: row?.expired_at ?? null,
    };
  }

  write(service: IntegrationService, change: Partial<IntegrationAccount>): IntegrationAccount {
    const next = { ...this.read(service), ...change };
    this.db
      .prepare(
        `INSERT INTO integration_accounts (service, address, signed_in_url, username, client_id, signed_in_at, expired_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET address = excluded.address, signed_in_url = excluded.signed_in_url, username = excluded.username,
           client_id = excluded.client_id, signed_in_at = excluded.signed_in_at, expired_at = excluded.expired_at`,
      )
      .run(service, next.address, next.signedInUrl, next.username, next.clientId, next.signedInAt, next.expiredAt);
    return next;
  }
}
