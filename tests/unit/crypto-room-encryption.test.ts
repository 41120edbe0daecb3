import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifyDecryptionFailure,
  encryptedContentBytes,
  encryptsEventType,
  keyRecipients,
  parseEncryptionContent,
  parseHistoryVisibility,
  plaintextBudget,
} from '../../main/core/crypto/room-encryption';
import { CryptoEngine } from '../../main/core/crypto/crypto-engine';
import { createLogger, memorySink } from '../../main/core/log';
import { canonicalJson } from '../../main/core/sync/canonical-json';

describe('what is encrypted in an encrypted room', () => {
  it('encrypts messages, polls and governance events, and leaves reactions clear as Element does', () => {
    expect(encryptsEventType('m.room.message')).toBe(true);
    expect(encryptsEventType('org.matrix.msc3381.poll.response')).toBe(true);
    expect(encryptsEventType('coop.meet.plenary.ops')).toBe(true);
    expect(encryptsEventType('m.reaction')).toBe(false);
    expect(encryptsEventType('m.room.encrypted')).toBe(false);
  });

  it('reads the room’s settings, refusing what names no algorithm', () => {
    expect(parseEncryptionContent({ algorithm: 'm.megolm.v1.aes-sha2', rotation_period_ms: 604800000, rotation_period_msgs: 100 })).toEqual({
      algorithm: 'm.megolm.v1.aes-sha2',
      rotationPeriodMs: 604800000,
      rotationPeriodMessages: 100,
    });
    expect(parseEncryptionContent({ algorithm: 'm.megolm.v1.aes-sha2', rotation_period_ms: -1, rotation_period_msgs: 1.5 })).toMatchObject({ rotationPeriodMs: null, rotationPeriodMessages: null });
    expect(parseEncryptionContent({})).toBeNull();
    expect(parseEncryptionContent('x')).toBeNull();
    expect(parseHistoryVisibility({ history_visibility: 'joined' })).toBe('joined');
    expect(parseHistoryVisibility({ history_visibility: 'nonsense' })).toBe('shared');
  });

  it('shares room keys with joined members, and invited ones unless history starts at joining', () => {
    const members = [
      { userId: '@b:x', membership: 'join' },
      { userId: '@a:x', membership: 'invite' },
      { userId: '@c:x', membership: 'leave' },
      { userId: '@d:x', membership: 'ban' },
    ];
    expect(keyRecipients(members, 'shared')).toEqual(['@a:x', '@b:x']);
    expect(keyRecipients(members, 'joined')).toEqual(['@b:x']);
  });

  it('explains why an event stays unreadable', () => {
    expect(classifyDecryptionFailure(0, null)).toBe('missing_key');
    expect(classifyDecryptionFailure(1, null)).toBe('earlier_than_key');
    expect(classifyDecryptionFailure(0, 'm.unverified')).toBe('withheld');
    expect(classifyDecryptionFailure(4, null)).toBe('unverified_sender');
    expect(classifyDecryptionFailure(6, null)).toBe('other');
    expect(classifyDecryptionFailure(null, null)).toBe('other');
  });

  it('packs governance smaller in an encrypted room, so the ciphertext stays within the limit', () => {
    const budget = plaintextBudget(60_000, 'coop.meet.plenary.ops', '!abcdefghijklmnop:example.coop');
    expect(budget).toBeLessThan(60_000 * 0.76);
    expect(budget).toBeGreaterThan(60_000 * 0.7);
    expect(encryptedContentBytes(budget, 'coop.meet.plenary.ops', '!abcdefghijklmnop:example.coop')).toBeLessThanOrEqual(60_000);
    expect(encryptedContentBytes(budget + 16, 'coop.meet.plenary.ops', '!abcdefghijklmnop:example.coop')).toBeGreaterThan(60_000);
  });

  it('estimates no less than the Rust crypto really sends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-crypto-unit-'));
    const roomId = '!abcdefghijklmnop:example.coop';
    const engine = await CryptoEngine.open({
      userId: '@alice:example.coop',
      deviceId: 'ALICEDEVICE',
      storePath: join(dir, 'store'),
      passphrase: 'test',
      log: createLogger('test', memorySink().sink),
      // What a homeserver answers: the key upload counted, the member's devices listed.
      request: <T>(_method: string, path: string) =>
        Promise.resolve(
          (path.endsWith('/keys/upload') ? { one_time_key_counts: { signed_curve25519: 50 } } : path.endsWith('/keys/query') ? { device_keys: { '@alice:example.coop': {} }, failures: {} } : {}) as T,
        ),
    });
    try {
      await engine.setRoomEncryption(roomId, { algorithm: 'm.megolm.v1.aes-sha2', rotationPeriodMs: null, rotationPeriodMessages: null });
      for (const size of [10, 1_000, 40_000]) {
        const content = { v: 1, ops: 'x'.repeat(size) };
        const plain = Buffer.byteLength(canonicalJson(content));
        const encrypted = await engine.encrypt(roomId, 'coop.meet.plenary.ops', content, ['@alice:example.coop'], 'shared');
        expect(encrypted.algorithm).toBe('m.megolm.v1.aes-sha2');
        expect(Buffer.byteLength(canonicalJson(encrypted))).toBeLessThanOrEqual(encryptedContentBytes(plain, 'coop.meet.plenary.ops', roomId));
      }
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
