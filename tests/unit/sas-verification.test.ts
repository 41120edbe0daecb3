import { describe, expect, it } from 'vitest';
import { sasEmoji, sasEmojiFor } from '../../shared/crypto/sas-emoji';
import { allowedActions, isActive, verificationStage, type VerificationFlags } from '../../shared/crypto/verification-state';
import { resources } from '../../shared/i18n/resources';

describe('SAS emoji', () => {
  it('has the specification’s 64 emoji in its order, each named once', () => {
    expect(sasEmoji).toHaveLength(64);
    expect(sasEmoji[0]).toEqual(['🐶', 'dog']);
    expect(sasEmoji[36]).toEqual(['👍', 'thumbsUp']);
    expect(sasEmoji[63]).toEqual(['📌', 'pin']);
    expect(new Set(sasEmoji.map(([, name]) => name)).size).toBe(64);
    expect(new Set(sasEmoji.map(([symbol]) => symbol)).size).toBe(64);
  });

  it('maps seven indexes to emoji and names, and refuses anything else', () => {
    expect(sasEmojiFor([0, 1, 2, 29, 61, 62, 63])).toEqual([
      { symbol: '🐶', name: 'dog' },
      { symbol: '🐱', name: 'cat' },
      { symbol: '🦁', name: 'lion' },
      { symbol: '❤️', name: 'heart' },
      { symbol: '🎧', name: 'headphones' },
      { symbol: '📁', name: 'folder' },
      { symbol: '📌', name: 'pin' },
    ]);
    expect(() => sasEmojiFor([0, 1, 2])).toThrow(/7 emoji, not 3/);
    expect(() => sasEmojiFor([0, 1, 2, 3, 4, 5, 64])).toThrow(/no SAS emoji has index 64/);
    expect(() => sasEmojiFor([0, 1, 2, 3, 4, 5, 1.5])).toThrow(/index 1.5/);
  });

  it('names every emoji in all six languages, each name different within a language', () => {
    for (const [locale, namespaces] of Object.entries(resources)) {
      const names = (namespaces as unknown as { settings: { sasEmoji: Record<string, string> } }).settings.sasEmoji;
      for (const [, key] of sasEmoji) expect(names[key], `${locale} ${key}`).toBeTruthy();
      expect(new Set(Object.values(names)).size, locale).toBe(64);
    }
  });
});

const base: VerificationFlags = { phase: 'requested', weStarted: false, sas: null };
const sas = { emojiShown: false, weConfirmed: false, done: false, cancelled: false };

describe('a verification as the member sees it', () => {
  it('goes from a request through the emoji to done, whoever asked', () => {
    expect(verificationStage(base)).toBe('incoming');
    expect(verificationStage({ ...base, phase: 'created', weStarted: true })).toBe('waiting');
    expect(verificationStage({ ...base, weStarted: true })).toBe('waiting');
    expect(verificationStage({ ...base, phase: 'ready' })).toBe('ready');
    expect(verificationStage({ ...base, phase: 'transitioned', sas })).toBe('starting');
    expect(verificationStage({ ...base, phase: 'transitioned', sas: { ...sas, emojiShown: true } })).toBe('compare');
    expect(verificationStage({ ...base, phase: 'transitioned', sas: { ...sas, emojiShown: true, weConfirmed: true } })).toBe('confirmed');
    expect(verificationStage({ ...base, phase: 'transitioned', sas: { ...sas, emojiShown: true, weConfirmed: true, done: true } })).toBe('done');
    expect(verificationStage({ ...base, phase: 'done' })).toBe('done');
    // Another method than emoji (a QR code) is shown as still starting.
    expect(verificationStage({ ...base, phase: 'transitioned' })).toBe('starting');
  });

  it('is cancelled when either the request or its emoji flow is', () => {
    expect(verificationStage({ ...base, phase: 'cancelled' })).toBe('cancelled');
    expect(verificationStage({ ...base, phase: 'transitioned', sas: { ...sas, emojiShown: true, cancelled: true } })).toBe('cancelled');
    // Cancelled wins over done (a late cancel after our confirm).
    expect(verificationStage({ ...base, phase: 'cancelled', sas: { ...sas, done: true } })).toBe('cancelled');
  });

  it('allows only the member’s answers that fit the stage', () => {
    expect(allowedActions('incoming')).toEqual(['accept', 'cancel']);
    expect(allowedActions('compare')).toEqual(['match', 'mismatch', 'cancel']);
    for (const stage of ['waiting', 'ready', 'starting', 'confirmed'] as const) expect(allowedActions(stage)).toEqual(['cancel']);
    expect(allowedActions('done')).toEqual([]);
    expect(allowedActions('cancelled')).toEqual([]);
    expect(isActive('compare')).toBe(true);
    expect(isActive('done')).toBe(false);
    expect(isActive('cancelled')).toBe(false);
  });
});
