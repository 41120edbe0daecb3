// The settings registry: every setting's schema and default in one place. Main decides
// which are supported on the running platform (start at login only exists in Electron)
// and persists them; the renderer reads and writes through the settings calls.
import { z } from 'zod';
import { supportedLocales } from './locales';
import { maxTrustedMeetingHosts, normalizeMeetingHostInput } from './meetings/meeting-hosts';
import { defaultVoteReminderHours, maxVoteReminderHours } from './governance/vote-reminders';

/** One trusted meeting host, stored as a normalised pattern (see meetings/meeting-hosts.ts). */
const trustedMeetingHost = z
  .string()
  .max(300)
  .transform((raw, ctx) => {
    const result = normalizeMeetingHostInput(raw);
    if (result.ok) return result.pattern;
    ctx.addIssue({ code: 'custom', message: `"${raw.slice(0, 80)}" is not a meeting host such as https://meet.example.coop (${result.problem})` });
    return z.NEVER;
  });

export const settingSchemas = {
  theme: z.enum(['system', 'light', 'dark']),
  locale: z.enum(['system', ...supportedLocales]),
  reminderMinutes: z.number().int().min(0).max(24 * 60),
  /** Hours before a vote's closing time that members who have not voted are reminded (a reminder after the close is no reminder). */
  voteReminderHours: z
    .number()
    .int('must be a whole number of hours')
    .min(1, 'a vote reminder comes before the close: at least 1 hour before it')
    .max(maxVoteReminderHours, `at most ${maxVoteReminderHours} hours (two weeks) before the close`),
  doNotDisturb: z.boolean(),
  /** Chat's room list: rooms with something unread first (otherwise by latest activity only). */
  chatUnreadFirst: z.boolean(),
  /** Read receipts only the member's own devices see (m.read.private), as Element's setting. */
  privateReadReceipts: z.boolean(),
  startAtLogin: z.boolean(),
  startHidden: z.boolean(),
  /** Settings › Meetings › Trusted hosts: where meetings may run when coop.json lists no hosts. */
  trustedMeetingHosts: z
    .array(trustedMeetingHost)
    .max(maxTrustedMeetingHosts)
    .transform((hosts) => [...new Set(hosts)]),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type Settings = { [K in SettingKey]: z.infer<(typeof settingSchemas)[K]> };

export const settingDefaults: Settings = {
  theme: 'system',
  locale: 'system',
  reminderMinutes: 10,
  voteReminderHours: defaultVoteReminderHours,
  doNotDisturb: false,
  chatUnreadFirst: false,
  privateReadReceipts: false,
  startAtLogin: false,
  startHidden: false,
  trustedMeetingHosts: [],
};

export const settingKeys = Object.keys(settingSchemas) as SettingKey[];

export interface SettingsView {
  values: Settings;
  /** False where the running platform cannot honour a setting (the UI hides it). */
  supported: Record<SettingKey, boolean>;
}

export type SettingWrite = { [K in SettingKey]: { key: K; value: Settings[K] } }[SettingKey];

/** Input of settings.set: one key and a value valid for that key. */
export const settingWriteSchema = z.discriminatedUnion(
  'key',
  settingKeys.map((key) => z.object({ key: z.literal(key), value: settingSchemas[key] }).strict()) as unknown as [
    z.ZodObject<{ key: z.ZodLiteral<SettingKey> }>,
  ],
) as unknown as z.ZodType<SettingWrite, SettingWrite>;
