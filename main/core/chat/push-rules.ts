// Notification levels per room and the member's keywords, kept as Matrix push rules so
// Element on the member's phone agrees (the same rules Element's RoomNotifs writes):
//   mute:     an `override` rule with rule_id = room id, one condition
//             event_match room_id = room id, and no actions (older clients: ["dont_notify"]);
//   mentions: a `room` rule with rule_id = room id and no actions (or ["dont_notify"]);
//   all:      neither (a `room` rule that notifies counts as "all" too).
// Keywords are `content` rules (pattern = keyword, notify with sound and highlight), as in
// Element's Settings › Notifications. Pure functions; rules from other clients are read
// defensively (anything unreadable is ignored, never trusted).
import { PlenaryError } from '../../../shared/errors';
import type { NotifyLevel } from '../../../shared/chat/notify-level';

export type { NotifyLevel };

export type RuleKind = 'override' | 'content' | 'room' | 'sender' | 'underride';

export interface PushRule {
  rule_id: string;
  enabled: boolean;
  default: boolean;
  actions: unknown[];
  conditions?: unknown[];
  pattern?: string;
}

export type RuleSet = Partial<Record<RuleKind, PushRule[]>>;

/** One call to the push-rules API: PUT creates or replaces the rule, DELETE removes it (404 is fine). */
export type RuleOp =
  | { method: 'PUT'; kind: RuleKind; ruleId: string; body: Record<string, unknown> }
  | { method: 'DELETE'; kind: RuleKind; ruleId: string };

const kinds: RuleKind[] = ['override', 'content', 'room', 'sender', 'underride'];

function readRule(value: unknown): PushRule | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Record<string, unknown>;
  if (typeof r.rule_id !== 'string' || r.rule_id === '') return null;
  if (!Array.isArray(r.actions)) return null;
  return {
    rule_id: r.rule_id,
    // A rule without `enabled` is enabled (the spec's default).
    enabled: r.enabled !== false,
    default: r.default === true,
    actions: r.actions,
    conditions: Array.isArray(r.conditions) ? r.conditions : undefined,
    pattern: typeof r.pattern === 'string' ? r.pattern : undefined,
  };
}

/** The global rule set from a GET /pushrules/ answer or the m.push_rules account data. */
export function globalRules(content: unknown): RuleSet {
  const global = content && typeof content === 'object' ? (content as { global?: unknown }).global : undefined;
  const set: RuleSet = {};
  if (!global || typeof global !== 'object') return set;
  for (const kind of kinds) {
    const list = (global as Record<string, unknown>)[kind];
    if (Array.isArray(list)) set[kind] = list.map(readRule).filter((r): r is PushRule => r !== null);
  }
  return set;
}

/** No notification: empty actions (current spec) or only "dont_notify" (older clients). */
function isSilent(actions: unknown[]): boolean {
  return actions.every((a) => a === 'dont_notify');
}

function notifies(actions: unknown[]): boolean {
  return actions.includes('notify');
}

/** Element's mute rule: exactly one condition, event_match on room_id for this room. */
function isMuteRule(rule: PushRule, roomId: string): boolean {
  if (!rule.enabled || rule.rule_id !== roomId || !isSilent(rule.actions)) return false;
  const conditions = rule.conditions ?? [];
  if (conditions.length !== 1) return false;
  const c = conditions[0] as Record<string, unknown> | null;
  return !!c && c.kind === 'event_match' && c.key === 'room_id' && c.pattern === roomId;
}

/** The room's level as Element reads it. */
export function levelFor(rules: RuleSet, roomId: string): NotifyLevel {
  if ((rules.override ?? []).some((rule) => isMuteRule(rule, roomId))) return 'mute';
  const roomRule = (rules.room ?? []).find((rule) => rule.rule_id === roomId && rule.enabled);
  if (roomRule && !notifies(roomRule.actions) && isSilent(roomRule.actions)) return 'mentions';
  return 'all';
}

/** The calls that take the room from what the rules say now to `level` (nothing when it is there). */
export function opsForLevel(rules: RuleSet, roomId: string, level: NotifyLevel): RuleOp[] {
  const ops: RuleOp[] = [];
  const hasOverride = (rules.override ?? []).some((rule) => rule.rule_id === roomId);
  const roomRule = (rules.room ?? []).find((rule) => rule.rule_id === roomId);
  if (level === 'mute') {
    if (levelFor(rules, roomId) !== 'mute') {
      ops.push({ method: 'PUT', kind: 'override', ruleId: roomId, body: { conditions: [{ kind: 'event_match', key: 'room_id', pattern: roomId }], actions: [] } });
    }
    // As Element: a muted room has no room rule underneath.
    if (roomRule) ops.push({ method: 'DELETE', kind: 'room', ruleId: roomId });
    return ops;
  }
  // The room rule first, the mute last: a call that fails half-way leaves the room muted
  // (what it was), never at a level the member did not choose.
  if (level === 'mentions') {
    if (!roomRule || !roomRule.enabled || roomRule.actions.length > 0) ops.push({ method: 'PUT', kind: 'room', ruleId: roomId, body: { actions: [] } });
  } else if (roomRule) {
    ops.push({ method: 'DELETE', kind: 'room', ruleId: roomId });
  }
  if (hasOverride) ops.push({ method: 'DELETE', kind: 'override', ruleId: roomId });
  return ops;
}

export const maxKeywordChars = 100;

/** A keyword the member typed, trimmed; a clear error when it cannot be a push rule. */
export function validKeyword(raw: string): string {
  const keyword = raw.trim();
  const fail = (message: string, reason: string) => new PlenaryError('invalid_input', message, { field: 'keyword', params: { reason } });
  if (keyword === '') throw fail('A keyword cannot be empty', 'empty');
  if ([...keyword].length > maxKeywordChars) throw fail(`A keyword can have at most ${maxKeywordChars} characters`, 'tooLong');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(keyword)) throw fail('A keyword cannot contain control characters', 'control');
  // Rule ids starting with "." are reserved for the server's own rules.
  if (keyword.startsWith('.')) throw fail('A keyword cannot start with "."', 'dot');
  return keyword;
}

/** The member's keywords: their own enabled content rules that notify, by pattern, without duplicates. */
export function keywordsFrom(rules: RuleSet): string[] {
  const out: string[] = [];
  for (const rule of rules.content ?? []) {
    if (rule.default || rule.rule_id.startsWith('.') || !rule.enabled || !notifies(rule.actions)) continue;
    const pattern = rule.pattern?.trim();
    if (!pattern || out.some((k) => k.toLowerCase() === pattern.toLowerCase())) continue;
    out.push(pattern);
  }
  return out;
}

export function opsAddKeyword(rules: RuleSet, raw: string): RuleOp[] {
  const keyword = validKeyword(raw);
  if (keywordsFrom(rules).some((k) => k.toLowerCase() === keyword.toLowerCase())) return [];
  return [
    {
      method: 'PUT',
      kind: 'content',
      ruleId: keyword,
      body: { pattern: keyword, actions: ['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }] },
    },
  ];
}

/** Removes every user content rule whose pattern is the keyword (case-insensitive), whatever its id. */
export function opsRemoveKeyword(rules: RuleSet, keyword: string): RuleOp[] {
  const wanted = keyword.trim().toLowerCase();
  return (rules.content ?? [])
    .filter((rule) => !rule.default && !rule.rule_id.startsWith('.') && rule.pattern?.trim().toLowerCase() === wanted)
    .map((rule) => ({ method: 'DELETE' as const, kind: 'content' as const, ruleId: rule.rule_id }));
}

function globToRegExp(glob: string): string {
  return glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
}

/** Whether the body contains a keyword as a whole word (case-insensitive; glob * and ? as the spec's content rules). */
export function matchesKeyword(body: string, keywords: readonly string[]): boolean {
  if (body === '') return false;
  return keywords.some((keyword) => new RegExp(`(^|[^\\p{L}\\p{N}_])${globToRegExp(keyword)}($|[^\\p{L}\\p{N}_])`, 'iu').test(body));
}
