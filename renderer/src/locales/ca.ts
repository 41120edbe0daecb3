// Every namespace of this locale, in one chunk the renderer loads when it shows the language.
export default import.meta.glob<{ default: Record<string, unknown> }>('../../../shared/i18n/locales/ca/*.json', { eager: true });
