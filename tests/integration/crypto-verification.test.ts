// Verifying Plenary's device with emoji (SAS) from another of the member's devices, and
// cross-signing, against a real Synapse (default rate limits) with an independent
// Element-like device of the same member in another process (tests/helpers/element-crypto-peer.ts:
// matrix-js-sdk with its Rust crypto, sharing no code with main/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import type { VerificationView } from '../../shared/contract/verification';
import enSettings from '../../shared/i18n/locales/en/settings.json';

let server: SynapseServer;
let peer: CryptoPeer;
let alice: TestCore;
let aliceUser: RegisteredUser;
let plenaryDevice: string;
let elementDevice: string;
const dataDir = mkdtempSync(join(tmpdir(), 'plenary-sas-'));
const secrets = new MemorySecretStore();
const names = (enSettings as unknown as { sasEmoji: Record<string, string> }).sasEmoji;

/** Syncs Plenary until its verification reaches a stage. */
async function plenaryReaches(stage: VerificationView['stage'], flowId?: string): Promise<VerificationView> {
  let last: VerificationView[] = [];
  for (let i = 0; i < 200; i++) {
    await alice.core.services.matrix.syncNow().catch(() => undefined);
    last = await alice.call('verification.list', {});
    const found = last.find((v) => (flowId ? v.flowId === flowId : true) && v.stage === stage);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Plenary's verification never reached ${stage}; it has ${JSON.stringify(last)}\n${peer.stderr().slice(-2000)}`);
}

async function compareAndMatch(flowId: string): Promise<void> {
  const shown = await plenaryReaches('compare', flowId);
  const { emoji } = await peer.call<{ emoji: [string, string][] }>('sasEmoji', { flowId });
  // The same seven emoji on both devices, and Plenary's names are the spec's (in English here).
  expect(shown.emoji).toHaveLength(7);
  expect(shown.emoji!.map((e) => e.symbol)).toEqual(emoji.map(([symbol]) => symbol));
  expect(shown.emoji!.map((e) => names[e.name]?.toLowerCase())).toEqual(emoji.map(([, name]) => name.toLowerCase()));
  await alice.call('verification.act', { flowId, action: 'match' });
  await peer.call('confirmSas', { flowId, match: true });
  await peer.call('waitVerification', { flowId, phase: 'done' });
  await plenaryReaches('done', flowId);
}

beforeAll(async () => {
  server = await SynapseServer.start();
  aliceUser = await server.register('alice', { password: 'alice-password' });
  alice = startTestCore({ dataDir, secrets });
  await alice.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
  plenaryDevice = alice.core.services.matrix.session()!.deviceId;
  // Her Element session: the device she registered with.
  elementDevice = aliceUser.deviceId;
  peer = startCryptoPeer();
  await peer.call('start', { baseUrl: server.baseUrl, userId: aliceUser.userId, accessToken: aliceUser.accessToken, deviceId: elementDevice });
  // Plenary's device keys are on the server before Element looks for them.
  for (let i = 0; i < 100; i++) {
    await alice.core.services.matrix.syncNow().catch(() => undefined);
    const devices = await peer.call<{ deviceId: string }[]>('deviceOf', { userId: aliceUser.userId });
    if (devices.some((d) => d.deviceId === plenaryDevice)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await peer?.stop();
  alice?.close({ keepData: true });
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('verifying this device with emoji from another of the member’s devices', () => {
  it('refuses a step the verification is not at, and an unknown one', async () => {
    await expect(alice.call('verification.act', { flowId: 'nope', action: 'match' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(alice.call('verification.request', { deviceId: 'NOSUCHDEVICE' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('“They don’t match” cancels on both sides, and so does cancelling from Element', async () => {
    const { flowId } = await peer.call<{ flowId: string }>('requestVerification', { userId: aliceUser.userId, deviceId: plenaryDevice });
    await plenaryReaches('incoming', flowId);
    await alice.call('verification.act', { flowId, action: 'accept' });
    await peer.call('startSas', { flowId });
    await plenaryReaches('compare', flowId);
    const ended = await alice.call('verification.act', { flowId, action: 'mismatch' });
    expect(ended.stage).toBe('cancelled');
    const seen = await peer.call<{ cancelCode: string | null }>('waitVerification', { flowId, phase: 'cancelled' });
    expect(seen.cancelCode).toBe('m.mismatched_sas');

    const second = await peer.call<{ flowId: string }>('requestVerification', { userId: aliceUser.userId, deviceId: plenaryDevice });
    await plenaryReaches('incoming', second.flowId);
    await peer.call('cancelVerification', { flowId: second.flowId });
    const cancelled = await plenaryReaches('cancelled', second.flowId);
    expect(cancelled.cancelCode).toBe('m.user');
    await expect(alice.call('verification.act', { flowId: second.flowId, action: 'accept' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('does not offer a verification someone else asks for (only the member’s own sessions verify this one)', async () => {
    const bob = await server.register('bob', { password: 'bob-password' });
    // Another user sends a verification request to Plenary's device (as a to-device message).
    const flowId = 'stranger-flow-1';
    const sent = await fetch(`${server.baseUrl}/_matrix/client/v3/sendToDevice/m.key.verification.request/stranger-1`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bob.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: { [aliceUser.userId]: { [plenaryDevice]: { from_device: bob.deviceId, methods: ['m.sas.v1'], transaction_id: flowId, timestamp: Date.now() } } } }),
    });
    expect(sent.ok).toBe(true);
    // Element's own request, sent after the stranger's, arrives: so the stranger's has too.
    const own = await peer.call<{ flowId: string }>('requestVerification', { userId: aliceUser.userId, deviceId: plenaryDevice });
    await plenaryReaches('incoming', own.flowId);
    expect((await alice.call('verification.list', {})).map((v) => v.flowId)).not.toContain(flowId);
    await expect(alice.call('verification.act', { flowId, action: 'accept' })).rejects.toMatchObject({ code: 'not_found' });
    await alice.call('verification.act', { flowId: own.flowId, action: 'cancel' });
    await peer.call('waitVerification', { flowId: own.flowId, phase: 'cancelled' });
  });

  it('the Element device asks, Plenary accepts, the emoji match on both, and both end verified', async () => {
    expect((await alice.call('verification.deviceVerified', { deviceId: elementDevice })).verified).toBe(false);
    const { flowId } = await peer.call<{ flowId: string }>('requestVerification', { userId: aliceUser.userId, deviceId: plenaryDevice });
    const incoming = await plenaryReaches('incoming', flowId);
    expect(incoming).toMatchObject({ otherDeviceId: elementDevice, weStarted: false, emoji: null });
    // Matching before there is anything to compare is refused.
    await expect(alice.call('verification.act', { flowId, action: 'match' })).rejects.toMatchObject({ code: 'conflict' });
    await alice.call('verification.act', { flowId, action: 'accept' });
    await peer.call('startSas', { flowId });
    await compareAndMatch(flowId);
    expect((await alice.call('verification.deviceVerified', { deviceId: elementDevice })).verified).toBe(true);
    expect((await peer.call<{ verified: boolean }>('deviceVerified', { userId: aliceUser.userId, deviceId: plenaryDevice })).verified).toBe(true);
  });

  it('Plenary asks the Element device, which accepts; the emoji match and both end verified', async () => {
    const started = await alice.call('verification.request', { deviceId: elementDevice });
    expect(started).toMatchObject({ weStarted: true, stage: 'waiting', otherDeviceId: elementDevice });
    const { flowId } = await peer.call<{ flowId: string }>('incomingVerification');
    expect(flowId).toBe(started.flowId);
    await peer.call('acceptVerification', { flowId });
    // Once Element is ready, Plenary starts the emoji flow itself.
    await compareAndMatch(flowId);
    expect((await peer.call<{ verified: boolean }>('deviceVerified', { userId: aliceUser.userId, deviceId: plenaryDevice })).verified).toBe(true);
  });

});

describe('cross-signing', () => {
  it('is set up at sign-in when the account had none (the server lets a first upload through), and replacing it needs the account password, never kept', async () => {
    // Circle rooms are encrypted by default, and sharing their history needs cross-signing:
    // the password sign-in set it up, as Element does for an account without it.
    expect(await alice.call('verification.crossSigning', {})).toEqual({ ready: true, deviceSigned: true });
    expect(alice.logs.some((r) => r.message === 'cross-signing set up at sign-in (the account had none)')).toBe(true);
    expect(await alice.call('verification.setUpCrossSigning', { password: 'alice-password' })).toEqual({ ready: true, deviceSigned: true });
    // Replacing keys the server holds: the server asks, and a wrong password is refused clearly.
    await expect(alice.call('verification.setUpCrossSigning', { password: 'not-her-password' })).rejects.toMatchObject({ code: 'invalid_input', field: 'password' });
    expect(await alice.call('verification.setUpCrossSigning', { password: 'alice-password' })).toEqual({ ready: true, deviceSigned: true });
    expect(JSON.stringify([...(secrets as unknown as { values: Map<string, string> }).values.values()])).not.toContain('alice-password');
  });
});

describe('key backup from Plenary', () => {
  it('after restoring with the recovery key, the keys of what Plenary sends go to the backup too', async () => {
    const { recoveryKey } = await peer.call<{ recoveryKey: string }>('setupBackup');
    const { roomId } = await peer.call<{ roomId: string }>('createRoom', { name: 'Notes to self', encrypted: true });
    await alice.call('matrix.restoreKeys', { recoveryKey });
    for (let i = 0; i < 100 && !alice.core.services.chat.rooms().some((r) => r.roomId === roomId); i++) {
      await alice.core.services.matrix.syncNow().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
    await alice.call('chat.send', { roomId, text: 'Backed up from Plenary' });
    const seen = await peer.call<{ eventId: string }>('waitFor', { roomId, body: 'Backed up from Plenary' });
    const raw = await alice.core.services.matrix.request<{ content: { session_id: string } }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(seen.eventId)}`);
    const version = (await alice.core.services.matrix.request<{ version: string }>('GET', '/_matrix/client/v3/room_keys/version')).version;
    let sessions: string[] = [];
    for (let i = 0; i < 100; i++) {
      const keys = await alice.core.services.matrix.request<{ rooms?: Record<string, { sessions?: Record<string, unknown> }> }>('GET', '/_matrix/client/v3/room_keys/keys', { query: { version } });
      sessions = Object.keys(keys.rooms?.[roomId]?.sessions ?? {});
      if (sessions.includes(raw.content.session_id)) break;
      await alice.core.services.matrix.syncNow().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sessions).toContain(raw.content.session_id);
    // Uploaded by Plenary itself (Element also backs up the keys it receives): its machine counts them as backed up.
    const machine = (await alice.core.services.crypto.ready())!.host().machine;
    await expect.poll(async () => {
      await alice.core.services.matrix.syncNow().catch(() => undefined);
      const counts = await machine.roomKeyCounts();
      return { all: counts.total > 0 && counts.backedUp === counts.total };
    }, { timeout: 15_000 }).toEqual({ all: true });
  });
});
