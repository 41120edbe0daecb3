// History from before this device existed, read through the member's key backup, against a
// real Synapse (default rate limits): the member's "phone" (an Element-like client in another
// process: matrix-js-sdk with its Rust crypto, no code of main/) sets up secure backup and
// writes in an encrypted room; Plenary, signed in afterwards as a new device of the same
// member, cannot read it until the member gives the recovery key, then can.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import type { ChatTimeline } from '../../shared/contract/chat';

let server: SynapseServer;
let ana: RegisteredUser;
let phone: CryptoPeer;
let plenary: TestCore;

beforeAll(async () => {
  server = await SynapseServer.start();
  ana = await server.register('ana', { password: 'ana-password' });
  phone = startCryptoPeer();
  await phone.call('start', { baseUrl: server.baseUrl, userId: ana.userId, accessToken: ana.accessToken, deviceId: ana.deviceId });
}, 120_000);

afterAll(async () => {
  await phone?.stop();
  plenary?.close();
  await server?.stop();
});

async function sees(roomId: string, check: (timeline: ChatTimeline) => boolean, what: string): Promise<ChatTimeline> {
  for (let i = 0; i < 100; i++) {
    await plenary.core.services.matrix.syncNow().catch(() => undefined);
    if (plenary.core.services.chat.rooms().some((r) => r.roomId === roomId)) {
      const timeline = await plenary.call('chat.timeline', { roomId, limit: 50 });
      if (check(timeline)) return timeline;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Plenary never saw ${what}`);
}

describe('key backup with a recovery key', () => {
  it('makes messages from before this device readable, and refuses a wrong key in words', async () => {
    const { recoveryKey } = await phone.call<{ recoveryKey: string }>('setupBackup');
    const { roomId } = await phone.call<{ roomId: string }>('createRoom', { name: 'Notes to self', encrypted: true });
    const { eventId, wireType } = await phone.call<{ eventId: string; wireType: string }>('send', { roomId, content: { msgtype: 'm.text', body: 'Written before Plenary' } });
    expect(wireType).toBe('m.room.encrypted');
    await phone.call('waitBackedUp', { count: 1 });

    plenary = startTestCore({});
    await plenary.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: ana.localpart, password: 'ana-password' });
    const before = await sees(roomId, (t) => t.items.some((i) => i.eventId === eventId), 'the old message');
    expect(before.items.find((i) => i.eventId === eventId)).toMatchObject({ kind: 'encrypted' });

    const wrong = await plenary.core.dispatch('matrix.restoreKeys', { recoveryKey: 'EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d' }, { transport: 'test' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'recoveryKey' } });
    const garbage = await plenary.core.dispatch('matrix.restoreKeys', { recoveryKey: 'not a key' }, { transport: 'test' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid_input', params: { reason: 'malformed' } } });

    const restored = await plenary.call('matrix.restoreKeys', { recoveryKey });
    expect(restored.imported).toBeGreaterThanOrEqual(1);
    const after = await sees(roomId, (t) => t.items.some((i) => i.eventId === eventId && i.kind === 'text'), 'the old message decrypted');
    expect(after.items.find((i) => i.eventId === eventId)).toMatchObject({ kind: 'text', body: 'Written before Plenary' });
  });
});
