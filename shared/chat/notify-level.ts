/** A room's notification level, as Element offers: all messages, mentions and keywords, or mute. */
export const notifyLevels = ['all', 'mentions', 'mute'] as const;
export type NotifyLevel = (typeof notifyLevels)[number];
