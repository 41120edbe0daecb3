import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { supportedLocales } from '../../../shared/locales';
import type { Settings } from '../../../shared/settings';
import { maxVoteReminderHours } from '../../../shared/governance/vote-reminders';
import type { ViewProps } from './view-props';
import { CoopServerSettings } from '../chat/coop-server-settings';
import { EncryptionSettings } from '../chat/encryption-settings';
import { KeywordsSettings } from '../chat/keywords-settings';
import { BbbSettings } from '../meetings/bbb-settings';
import { SyncSettingsSection } from '../sync/sync-status';
import { DataSettings } from '../data/data-settings';
import { ForumSettings } from '../forum/forum-settings';
import { CloudSettings } from '../forum/cloud-settings';

export function SettingsView(_props: ViewProps) {
  const { t } = useTranslation('settings');
  const settings = usePlenary((s) => s.settings);
  const info = usePlenary((s) => s.info);
  const writeSetting = usePlenary((s) => s.writeSetting);
  const ids = { theme: useId(), locale: useId(), reminder: useId(), dnd: useId(), receipts: useId(), receiptsHint: useId(), login: useId(), hidden: useId(), dndHint: useId(), voteReminder: useId(), voteReminderHint: useId() };
  if (!settings) return <p>{t('common:loading')}</p>;
  const { values, supported } = settings;

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('title')}</h1>

      <fieldset className="card">
        <legend>{t('appearance')}</legend>
        <div className="field">
          <label htmlFor={ids.theme}>{t('theme')}</label>
          <select
            id={ids.theme}
            value={values.theme}
            onChange={(e) => void writeSetting({ key: 'theme', value: e.target.value as Settings['theme'] })}
          >
            <option value="system">{t('themeSystem')}</option>
            <option value="light">{t('themeLight')}</option>
            <option value="dark">{t('themeDark')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.locale}>{t('language')}</label>
          <select
            id={ids.locale}
            value={values.locale}
            onChange={(e) => void writeSetting({ key: 'locale', value: e.target.value as Settings['locale'] })}
          >
            <option value="system">{t('languageSystem')}</option>
            {supportedLocales.map((locale) => (
              <option key={locale} value={locale} lang={locale}>
                {t(`languages.${locale}`)}
              </option>
            ))}
          </select>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>{t('notifications')}</legend>
        <div className="field">
          <label htmlFor={ids.reminder}>{t('reminderMinutes')}</label>
          <input
            id={ids.reminder}
            type="number"
            min={0}
            max={1440}
            step={1}
            value={values.reminderMinutes}
            onChange={(e) => {
              const value = Number(e.target.value);
              if (Number.isInteger(value)) void writeSetting({ key: 'reminderMinutes', value });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.voteReminder}>{t('voteReminders.hours')}</label>
          <input
            id={ids.voteReminder}
            type="number"
            min={1}
            max={maxVoteReminderHours}
            step={1}
            aria-describedby={ids.voteReminderHint}
            value={values.voteReminderHours}
            onChange={(e) => {
              // The core refuses a lead of less than an hour (a reminder after the close) with its reason.
              const value = Number(e.target.value);
              if (e.target.value !== '' && Number.isInteger(value)) void writeSetting({ key: 'voteReminderHours', value });
            }}
          />
          <p id={ids.voteReminderHint} className="hint">
            {t('voteReminders.hint')}
          </p>
        </div>
        <div className="field checkbox">
          <input
            id={ids.dnd}
            type="checkbox"
            checked={values.doNotDisturb}
            aria-describedby={ids.dndHint}
            onChange={(e) => void writeSetting({ key: 'doNotDisturb', value: e.target.checked })}
          />
          <label htmlFor={ids.dnd}>{t('doNotDisturb')}</label>
          <p id={ids.dndHint} className="hint">
            {t('doNotDisturbHint')}
          </p>
        </div>
        <div className="field checkbox">
          <input
            id={ids.receipts}
            type="checkbox"
            checked={values.privateReadReceipts}
            aria-describedby={ids.receiptsHint}
            onChange={(e) => void writeSetting({ key: 'privateReadReceipts', value: e.target.checked })}
          />
          <label htmlFor={ids.receipts}>{t('privateReadReceipts')}</label>
          <p id={ids.receiptsHint} className="hint">
            {t('privateReadReceiptsHint')}
          </p>
        </div>
      </fieldset>

      {(supported.startAtLogin || supported.startHidden) && (
        <fieldset className="card">
          <legend>{t('desktop')}</legend>
          {supported.startAtLogin && (
            <div className="field checkbox">
              <input
                id={ids.login}
                type="checkbox"
                checked={values.startAtLogin}
                onChange={(e) => void writeSetting({ key: 'startAtLogin', value: e.target.checked })}
              />
              <label htmlFor={ids.login}>{t('startAtLogin')}</label>
            </div>
          )}
          {supported.startHidden && (
            <div className="field checkbox">
              <input
                id={ids.hidden}
                type="checkbox"
                checked={values.startHidden}
                onChange={(e) => void writeSetting({ key: 'startHidden', value: e.target.checked })}
              />
              <label htmlFor={ids.hidden}>{t('startHidden')}</label>
            </div>
          )}
        </fieldset>
      )}

      <CoopServerSettings />
      <EncryptionSettings />
      <KeywordsSettings />
      <SyncSettingsSection />
      <BbbSettings />
      <ForumSettings />
      <CloudSettings />
      <DataSettings />

      {info && (
        <div className="card">
          <h2>{t('about')}</h2>
          <p>{t('version', { version: info.version })}</p>
          <p>{info.runtime === 'electron' ? t('runtimeElectron') : t('runtimeWeb')}</p>
          <p className="muted">{t('localIdentity', { actor: info.localActor })}</p>
        </div>
      )}
    </section>
  );
}
