// Secure backup set up from Plenary, against a real Synapse (default rate limits), with an
// Element-like device of the same member in another process (tests/helpers/element-crypto-peer.ts:
// matrix-js-sdk with its Rust crypto, no code of main/). Plenary makes the recovery key,
// secret storage and a signed key backup; a new Plenary device signs in later and reads an
// earlier encrypted message with that recovery key; Element reads the same secret storage
// (its "Verify with recovery key" signs its device, and Plenary's room member list then
// shows that device verified while the new, unverified Plenary device stays unverified).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import type { ChatTimeline } from '../../shared/contract/chat';
import type { RoomTrustView } from '../../shared/contract/trust';

let server: SynapseServer;
let ana: RegisteredUser;
let phone: CryptoPeer;
let first: TestCore;
let later: TestCore | undefined;
let recoveryKey = '';
let roomId = '';
let eventId = '';

beforeAll(async () => {
  server = await SynapseServer.start();
  ana = await server.register('ana', { password: 'ana-password' });
  first = startTestCore({});
  await first.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: ana.localpart, password: 'ana-password' });
  phone = startCryptoPeer();
  await phone.call('start', { baseUrl: server.baseUrl, userId: ana.userId, accessToken: ana.accessToken, deviceId: ana.deviceId });
}, 120_000);

afterAll(async () => {
  await phone?.stop();
  later?.close();
  first?.close();
  await server?.stop();
});

async function sees(core: TestCore, room: string, check: (timeline: ChatTimeline) => boolean, what: string): Promise<ChatTimeline> {
  for (let i = 0; i < 150; i++) {
    await core.core.services.matrix.syncNow().catch(() => undefined);
    if (core.core.services.chat.rooms().some((r) => r.roomId === room)) {
      const timeline = await core.call('chat.timeline', { roomId: room, limit: 50 });
      if (check(timeline)) return timeline;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Plenary never saw ${what}\n${phone.stderr().slice(-1500)}`);
}

/** The room keys the server's current key backup holds (read with the member's other session). */
async function backedUp(): Promise<number> {
  const headers = { authorization: `Bearer ${ana.accessToken}` };
  const info = (await (await fetch(`${server.baseUrl}/_matrix/client/v3/room_keys/version`, { headers })).json()) as { version?: string };
  if (!info.version) return 0;
  const keys = (await (await fetch(`${server.baseUrl}/_matrix/client/v3/room_keys/keys?version=${info.version}`, { headers })).json()) as { rooms?: Record<string, { sessions?: object }> };
  return Object.values(keys.rooms ?? {}).reduce((sum, room) => sum + Object.keys(room.sessions ?? {}).length, 0);
}

async function trustUntil(core: TestCore, check: (view: RoomTrustView) => boolean): Promise<RoomTrustView> {
  let last: RoomTrustView | null = null;
  for (let i = 0; i < 150; i++) {
    await core.core.services.matrix.syncNow().catch(() => undefined);
    last = await core.call('trust.room', { roomId });
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the room's trust never matched; last ${JSON.stringify(last)}`);
}

describe('secure backup set up from Plenary', () => {
  it('refuses a setup whose recovery key was not confirmed as stored, or is not a recovery key', async () => {
    // A password sign-in sets up cross-signing when the account has none (circle rooms are
    // encrypted by default and sharing their history needs it); no backup exists yet.
    expect(await first.call('secureBackup.status', {})).toEqual({ serverBackup: null, secretStorage: false, backingUpHere: false, crossSigningReady: true });
    const { recoveryKey: key } = await first.call('secureBackup.newRecoveryKey', {});
    const unconfirmed = await first.core.dispatch('secureBackup.setUp', { recoveryKey: key, stored: false, reset: false }, { transport: 'test' });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'stored' } });
    const garbage = await first.core.dispatch('secureBackup.setUp', { recoveryKey: 'not a key', stored: true, reset: false }, { transport: 'test' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid_input', params: { reason: 'malformed' } } });
    // Nothing was applied.
    expect((await first.call('secureBackup.status', {})).serverBackup).toBeNull();
  });

  it('sets up secret storage and a signed key backup, and backs up the room keys this device gets', async () => {
    recoveryKey = (await first.call('secureBackup.newRecoveryKey', {})).recoveryKey;
    const view = await first.call('secureBackup.setUp', { recoveryKey, stored: true, reset: false, password: 'ana-password' });
    expect(view).toMatchObject({ secretStorage: true, backingUpHere: true, crossSigningReady: true });
    expect(view.serverBackup?.version).toBeTruthy();
    // The backup is signed by this device and by the member's master key, as Element's is.
    const info = (await (await fetch(`${server.baseUrl}/_matrix/client/v3/room_keys/version`, { headers: { authorization: `Bearer ${ana.accessToken}` } })).json()) as {
      algorithm: string;
      auth_data: { public_key: string; signatures: Record<string, Record<string, string>> };
    };
    expect(info.algorithm).toBe('m.megolm_backup.v1.curve25519-aes-sha2');
    const signers = Object.keys(info.auth_data.signatures[ana.userId] ?? {});
    expect(signers).toContain(`ed25519:${first.core.services.matrix.session()!.deviceId}`);
    expect(signers.length).toBe(2);
    // A second setup is refused: the backup exists (restore from it, or reset).
    const again = await first.core.dispatch('secureBackup.setUp', { recoveryKey, stored: true, reset: false }, { transport: 'test' });
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_input', params: { reason: 'backup_exists' } } });

    // Element (the member's phone) writes in an encrypted room; Plenary gets the room key and backs it up.
    ({ roomId } = await phone.call<{ roomId: string }>('createRoom', { name: 'Notes to self', encrypted: true }));
    ({ eventId } = await phone.call<{ eventId: string }>('send', { roomId, content: { msgtype: 'm.text', body: 'Written before the new device' } }));
    await sees(first, roomId, (t) => t.items.some((i) => i.eventId === eventId && i.kind === 'text'), 'the message decrypted');
    await expect.poll(backedUp, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(1);
  });

  it('lets a device signed in later read the earlier message with that recovery key', async () => {
    later = startTestCore({});
    await later.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: ana.localpart, password: 'ana-password' });
    await sees(later, roomId, (t) => t.items.some((i) => i.eventId === eventId && i.kind === 'encrypted'), 'the old message, still unreadable');
    const restored = await later.call('matrix.restoreKeys', { recoveryKey });
    expect(restored.imported).toBeGreaterThanOrEqual(1);
    const after = await sees(later, roomId, (t) => t.items.some((i) => i.eventId === eventId && i.kind === 'text'), 'the old message decrypted');
    expect(after.items.find((i) => i.eventId === eventId)).toMatchObject({ kind: 'text', body: 'Written before the new device' });
  });

  it('shows the member’s devices unverified until Element verifies itself with the recovery key', async () => {
    const laterDevice = later!.core.services.matrix.session()!.deviceId;
    const firstDevice = first.core.services.matrix.session()!.deviceId;
    const before = await trustUntil(first, (v) => (v.members[0]?.devices.length ?? 0) >= 3);
    expect(before).toMatchObject({ encrypted: true, shield: 'some_unverified' });
    const mine = before.members.find((m) => m.userId === ana.userId)!;
    expect(mine).toMatchObject({ isSelf: true, identityVerified: true, identityChanged: false });
    expect(mine.devices.find((d) => d.deviceId === firstDevice)).toMatchObject({ thisDevice: true, verified: true });
    expect(mine.devices.find((d) => d.deviceId === ana.deviceId)).toMatchObject({ verified: false });
    expect(mine.devices.find((d) => d.deviceId === laterDevice)).toMatchObject({ verified: false });

    // Element reads the cross-signing keys Plenary stored in secret storage and signs itself.
    const seen = first.events.length;
    const signed = await phone.call<{ ready: boolean }>('verifyWithRecoveryKey', { recoveryKey });
    expect(signed.ready).toBe(true);
    // The page hears that the member's devices changed (so an open room's shield reloads).
    await expect
      .poll(async () => {
        await first.core.services.matrix.syncNow().catch(() => undefined);
        return first.events.slice(seen).some((e) => e.name === 'trust.devicesChanged' && (e.payload as { userIds: string[] }).userIds.includes(ana.userId));
      }, { timeout: 30_000 })
      .toBe(true);
    const after = await trustUntil(first, (v) => v.members[0]?.devices.find((d) => d.deviceId === ana.deviceId)?.verified === true);
    expect(after.members[0]!.devices.find((d) => d.deviceId === laterDevice)).toMatchObject({ verified: false });
    expect(after.shield).toBe('some_unverified');

    // And Element opens the key backup Plenary made with the same recovery key.
    const restored = await phone.call<{ imported: number }>('restoreWithRecoveryKey', { recoveryKey });
    expect(restored.imported).toBeGreaterThanOrEqual(1);
  });

  it('resets the recovery key: a new backup replaces the old one, and the old key opens nothing', async () => {
    const old = (await first.call('secureBackup.status', {})).serverBackup!.version;
    const { recoveryKey: fresh } = await first.call('secureBackup.newRecoveryKey', {});
    const view = await first.call('secureBackup.setUp', { recoveryKey: fresh, stored: true, reset: true });
    expect(view.serverBackup?.version).not.toBe(old);
    expect(view).toMatchObject({ backingUpHere: true, secretStorage: true });
    await expect.poll(backedUp, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const stale = await later!.core.dispatch('matrix.restoreKeys', { recoveryKey }, { transport: 'test' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'invalid_input', params: { reason: 'wrong_key' } } });
    // The later device holds those keys already: they are in the new backup (total), none new to import.
    expect((await later!.call('matrix.restoreKeys', { recoveryKey: fresh })).total).toBeGreaterThanOrEqual(1);
    // Neither recovery key is ever written to a log line.
    const logged = JSON.stringify([first.logs, later!.logs]);
    for (const key of [recoveryKey, fresh]) {
      expect(logged).not.toContain(key.slice(0, 14));
      expect(logged).not.toContain(key.replace(/ /g, '').slice(0, 12));
    }
  });

  it('warns when the member’s verified identity is replaced from another device, until the change is accepted', async () => {
    await phone.call('resetCrossSigning', { password: 'ana-password' });
    const changed = await trustUntil(first, (v) => v.shield === 'identity_changed');
    expect(changed.members[0]).toMatchObject({ userId: ana.userId, identityChanged: true, shield: 'identity_changed' });
    await first.call('trust.acceptIdentityChange', { userId: ana.userId });
    const accepted = await first.call('trust.room', { roomId });
    expect(accepted.shield).not.toBe('identity_changed');
    expect(accepted.members[0]).toMatchObject({ identityChanged: false, identityVerified: false });
    // A device without the cross-signing keys (made elsewhere) does not replace them unless it resets.
    const version = (await first.call('secureBackup.status', {})).serverBackup!.version;
    await fetch(`${server.baseUrl}/_matrix/client/v3/room_keys/version/${version}`, { method: 'DELETE', headers: { authorization: `Bearer ${ana.accessToken}` } });
    const elsewhere = await later!.core.dispatch('secureBackup.setUp', { recoveryKey, stored: true, reset: false }, { transport: 'test' });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'invalid_input', params: { reason: 'identity_elsewhere' } } });
    expect((await later!.call('secureBackup.status', {})).serverBackup).toBeNull();
    const bad = await first.core.dispatch('trust.acceptIdentityChange', { userId: 'ana' }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses the room’s trust for a room Plenary does not know, in words', async () => {
    await expect(first.call('trust.room', { roomId: '!nosuchroom:localhost' })).rejects.toMatchObject({ code: 'not_found' });
    const bad = await first.core.dispatch('trust.room', { roomId: 'nope' }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
