import { describe, expect, it } from 'vitest';
import { globalRules, keywordsFrom, levelFor, matchesKeyword, opsAddKeyword, opsForLevel, opsRemoveKeyword, validKeyword } from '../../main/core/chat/push-rules';
import { shouldNotify, type NotifyInput } from '../../main/core/chat/mentions';

const room = '!abc:example.org';
const muteRule = { rule_id: room, enabled: true, default: false, actions: [], conditions: [{ kind: 'event_match', key: 'room_id', pattern: room }] };
const set = (global: Record<string, unknown>) => globalRules({ global });

describe('push rules ⇄ room level', () => {
  it('reads no rules as all messages', () => {
    expect(levelFor(set({}), room)).toBe('all');
    expect(levelFor(globalRules(null), room)).toBe('all');
    expect(levelFor(globalRules({ global: 'nonsense' }), room)).toBe('all');
  });

  it("reads Element's mute override (current and older dont_notify form)", () => {
    expect(levelFor(set({ override: [muteRule] }), room)).toBe('mute');
    expect(levelFor(set({ override: [{ ...muteRule, actions: ['dont_notify'] }] }), room)).toBe('mute');
  });

  it("reads Element's mentions-only room rule", () => {
    expect(levelFor(set({ room: [{ rule_id: room, enabled: true, default: false, actions: [] }] }), room)).toBe('mentions');
    expect(levelFor(set({ room: [{ rule_id: room, enabled: true, default: false, actions: ['dont_notify'] }] }), room)).toBe('mentions');
  });

  it('ignores odd or hostile rules from other clients', () => {
    // Disabled, extra conditions, another room's pattern, notifying override, garbage entries.
    expect(levelFor(set({ override: [{ ...muteRule, enabled: false }] }), room)).toBe('all');
    expect(levelFor(set({ override: [{ ...muteRule, conditions: [...muteRule.conditions, { kind: 'contains_display_name' }] }] }), room)).toBe('all');
    expect(levelFor(set({ override: [{ ...muteRule, conditions: [{ kind: 'event_match', key: 'room_id', pattern: '!other:x' }] }] }), room)).toBe('all');
    expect(levelFor(set({ override: [{ ...muteRule, actions: ['notify'] }] }), room)).toBe('all');
    expect(levelFor(set({ override: [null, 42, { rule_id: room }, { actions: [] }], room: ['x', { rule_id: room, actions: 'dont_notify' }] }), room)).toBe('all');
    // A loud room rule is "all messages".
    expect(levelFor(set({ room: [{ rule_id: room, enabled: true, actions: ['notify', { set_tweak: 'sound', value: 'default' }] }] }), room)).toBe('all');
    // Mute wins over a mentions rule left behind.
    expect(levelFor(set({ override: [muteRule], room: [{ rule_id: room, actions: [] }] }), room)).toBe('mute');
  });

  it('writes the same rules Element writes', () => {
    expect(opsForLevel(set({}), room, 'mute')).toEqual([
      { method: 'PUT', kind: 'override', ruleId: room, body: { conditions: [{ kind: 'event_match', key: 'room_id', pattern: room }], actions: [] } },
    ]);
    expect(opsForLevel(set({}), room, 'mentions')).toEqual([{ method: 'PUT', kind: 'room', ruleId: room, body: { actions: [] } }]);
    expect(opsForLevel(set({}), room, 'all')).toEqual([]);
    expect(opsForLevel(set({ override: [muteRule] }), room, 'all')).toEqual([{ method: 'DELETE', kind: 'override', ruleId: room }]);
    expect(opsForLevel(set({ override: [muteRule] }), room, 'mentions')).toEqual([
      { method: 'PUT', kind: 'room', ruleId: room, body: { actions: [] } },
      { method: 'DELETE', kind: 'override', ruleId: room },
    ]);
    expect(opsForLevel(set({ room: [{ rule_id: room, actions: [] }] }), room, 'mute')).toEqual([
      { method: 'PUT', kind: 'override', ruleId: room, body: { conditions: [{ kind: 'event_match', key: 'room_id', pattern: room }], actions: [] } },
      { method: 'DELETE', kind: 'room', ruleId: room },
    ]);
    expect(opsForLevel(set({ room: [{ rule_id: room, actions: [] }] }), room, 'mentions')).toEqual([]);
    // A notifying override with the room's id (someone else's) is replaced, not kept.
    expect(opsForLevel(set({ override: [{ ...muteRule, actions: ['notify'] }] }), room, 'mute')).toHaveLength(1);
  });

  it('round-trips every level', () => {
    for (const level of ['all', 'mentions', 'mute'] as const) {
      const ops = opsForLevel(set({}), room, level);
      const applied = set({
        override: ops.filter((o) => o.method === 'PUT' && o.kind === 'override').map((o) => ({ rule_id: o.ruleId, enabled: true, ...(o.method === 'PUT' ? o.body : {}) })),
        room: ops.filter((o) => o.method === 'PUT' && o.kind === 'room').map((o) => ({ rule_id: o.ruleId, enabled: true, ...(o.method === 'PUT' ? o.body : {}) })),
      });
      expect(levelFor(applied, room)).toBe(level);
    }
  });
});

describe('keywords as content rules', () => {
  const content = [
    { rule_id: '.m.rule.contains_user_name', default: true, enabled: true, pattern: 'alice', actions: ['notify'] },
    { rule_id: 'budget', default: false, enabled: true, pattern: 'budget', actions: ['notify', { set_tweak: 'highlight' }] },
    { rule_id: 'other-id', default: false, enabled: true, pattern: 'Budget', actions: ['notify'] },
    { rule_id: 'off', default: false, enabled: false, pattern: 'off', actions: ['notify'] },
    { rule_id: 'silent', default: false, enabled: true, pattern: 'silent', actions: ['dont_notify'] },
    { rule_id: 'nopattern', default: false, enabled: true, actions: ['notify'] },
  ];

  it('lists the member’s own notifying keywords once, never the server defaults', () => {
    expect(keywordsFrom(set({ content }))).toEqual(['budget']);
  });

  it('adds a keyword as Element does, and not twice', () => {
    expect(opsAddKeyword(set({}), '  assembly ')).toEqual([
      { method: 'PUT', kind: 'content', ruleId: 'assembly', body: { pattern: 'assembly', actions: ['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }] } },
    ]);
    expect(opsAddKeyword(set({ content }), 'BUDGET')).toEqual([]);
  });

  it('removes every own rule with that pattern, whatever its id', () => {
    expect(opsRemoveKeyword(set({ content }), 'budget')).toEqual([
      { method: 'DELETE', kind: 'content', ruleId: 'budget' },
      { method: 'DELETE', kind: 'content', ruleId: 'other-id' },
    ]);
  });

  it('refuses keywords that cannot be rules, with a clear message', () => {
    expect(() => validKeyword('   ')).toThrow(/empty/);
    expect(() => validKeyword('.m.rule.master')).toThrow(/start with/);
    expect(() => validKeyword('a\u0000b')).toThrow(/control/);
    expect(() => validKeyword('x'.repeat(101))).toThrow(/at most 100/);
    expect(validKeyword('予算')).toBe('予算');
  });

  it('matches whole words, case-insensitively, with globs', () => {
    expect(matchesKeyword('The Budget is due', ['budget'])).toBe(true);
    expect(matchesKeyword('budgetary matters', ['budget'])).toBe(false);
    expect(matchesKeyword('budget.', ['budget'])).toBe(true);
    expect(matchesKeyword('budgetary matters', ['budget*'])).toBe(true);
    expect(matchesKeyword('予算 について', ['予算'])).toBe(true);
    expect(matchesKeyword('a (b) c', ['(b)'])).toBe(true);
    expect(matchesKeyword('', ['x'])).toBe(false);
  });
});

describe('which messages notify, by level', () => {
  const base: NotifyInput = { live: true, fromMe: false, isRelation: false, isMessage: true, mentioned: false, doNotDisturb: false, ageMs: 1000 };
  it('muted rooms never notify, even mentions and keywords', () => {
    expect(shouldNotify({ ...base, level: 'mute', mentioned: true })).toBe(false);
    expect(shouldNotify({ ...base, level: 'mute', keyword: true })).toBe(false);
  });
  it('mentions-only and all notify mentions and keywords, not other messages', () => {
    for (const level of ['all', 'mentions'] as const) {
      expect(shouldNotify({ ...base, level, mentioned: true })).toBe(true);
      expect(shouldNotify({ ...base, level, keyword: true })).toBe(true);
      expect(shouldNotify({ ...base, level })).toBe(false);
    }
  });
  it('a keyword in own message or under do-not-disturb does not notify', () => {
    expect(shouldNotify({ ...base, keyword: true, fromMe: true })).toBe(false);
    expect(shouldNotify({ ...base, keyword: true, doNotDisturb: true })).toBe(false);
  });
});

describe('push rules arriving with the sync', () => {
  it('keeps the m.push_rules account data, so a level set in Element shows, and ignores a batch without it', async () => {
    const { openDatabase } = await import('../../main/core/store/database');
    const { ChatStore } = await import('../../main/core/chat/chat-store');
    const { ChatSync } = await import('../../main/core/chat/chat-sync');
    const store = new ChatStore(openDatabase(':memory:'));
    const changed: unknown[] = [];
    const sync = new ChatSync(store, (c) => changed.push(c));
    const muted = { global: { override: [muteRule] } };
    sync.onSync({ next_batch: 'b1', account_data: { events: [{ type: 'm.push_rules', content: muted }] } }, { initial: false });
    expect(levelFor(globalRules(store.accountData('m.push_rules')), room)).toBe('mute');
    expect(changed).toHaveLength(1);
    sync.onSync({ next_batch: 'b2', account_data: { events: [{ type: 'm.push_rules', content: muted }] } }, { initial: false });
    expect(changed).toHaveLength(1);
    sync.onSync({ next_batch: 'b3', account_data: { events: [] } }, { initial: false });
    expect(levelFor(globalRules(store.accountData('m.push_rules')), room)).toBe('mute');
  });
});

describe('changing push rules offline', () => {
  it('says it needs the coop server and sends nothing', async () => {
    const { openDatabase } = await import('../../main/core/store/database');
    const { ChatStore } = await import('../../main/core/chat/chat-store');
    const { PushRulesService } = await import('../../main/core/chat/push-rules-service');
    const calls: string[] = [];
    const matrix = { view: () => ({ paused: true }), request: (method: string, path: string) => (calls.push(`${method} ${path}`), Promise.resolve({})) };
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const service = new PushRulesService(new ChatStore(openDatabase(':memory:')), matrix as never, log as never, () => undefined);
    await expect(service.setLevel(room, 'mute')).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/needs the coop server/) });
    await expect(service.addKeyword('budget')).rejects.toMatchObject({ code: 'offline' });
    expect(calls).toEqual([]);
  });
});
