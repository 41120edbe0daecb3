import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeMeetingHostInput, type MeetingHostsView } from '../../../shared/meetings/meeting-hosts';
import { api } from '../api/client';
import { usePlenary } from '../store';

/**
 * Settings › Meetings › Trusted hosts: the servers meetings may run on. Without a coop.json
 * that lists meeting hosts, the member keeps this list (each host removable); the operator's
 * BigBlueButton server counts too. With one, the coop's hosts are shown read-only and the
 * member's list is not used.
 */
export function TrustedHostsSettings() {
  const { t } = useTranslation('meetings');
  const showError = usePlenary((s) => s.showError);
  const [view, setView] = useState<MeetingHostsView | null>(null);
  const [input, setInput] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const ids = { intro: useId(), input: useId(), hint: useId(), problem: useId(), list: useId() };

  useEffect(() => {
    void api().meetings.hosts({}).then(setView, showError);
  }, [showError]);

  if (!view) return null;
  const coopDecides = view.decidedBy === 'coop';

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const normalized = normalizeMeetingHostInput(input);
    if (!normalized.ok) return setProblem(t(`hosts.inputError.${normalized.problem}`));
    setProblem(null);
    try {
      setView(await api().meetings.trustHost({ host: normalized.pattern }));
      setInput('');
      setStatus(t('hosts.added', { host: normalized.pattern }));
    } catch (error) {
      showError(error);
    }
  };

  const forget = async (pattern: string) => {
    try {
      setView(await api().meetings.forgetHost({ pattern }));
      setStatus(t('hosts.removed', { host: pattern }));
    } catch (error) {
      showError(error);
    }
  };

  return (
    <fieldset className="card trusted-hosts" aria-describedby={ids.intro}>
      <legend>{t('hosts.title')}</legend>
      <p id={ids.intro} className="hint">
        {coopDecides ? t('hosts.introCoop') : t('hosts.introMember')}
      </p>
      <p id={ids.list} className="visually-hidden">
        {t('hosts.listLabel')}
      </p>
      {view.entries.length === 0 ? (
        <p className="muted">{t('hosts.none')}</p>
      ) : (
        <ul className="host-list" aria-labelledby={ids.list}>
          {view.entries.map((entry) => (
            <li key={`${entry.source}:${entry.pattern}`}>
              <span className="host-pattern">{entry.pattern}</span>
              {entry.source === 'coop' && <span className="muted">{t('hosts.fromCoop')}</span>}
              {entry.source === 'api' && <span className="muted">{t('hosts.fromApi')}</span>}
              {entry.source === 'member' && (
                <button type="button" aria-label={t('hosts.removeAria', { host: entry.pattern })} onClick={() => void forget(entry.pattern)}>
                  {t('common:remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!coopDecides && (
        <form onSubmit={(e) => void add(e)}>
          <div className="field">
            <label htmlFor={ids.input}>{t('hosts.addLabel')}</label>
            <input
              id={ids.input}
              type="text"
              inputMode="url"
              spellCheck={false}
              autoComplete="off"
              value={input}
              aria-invalid={problem !== null}
              aria-describedby={problem ? `${ids.problem} ${ids.hint}` : ids.hint}
              onChange={(e) => {
                setInput(e.target.value);
                if (problem) setProblem(null);
              }}
            />
            <button type="submit">{t('hosts.add')}</button>
            <p id={ids.hint} className="hint">
              {t('hosts.addHint')}
            </p>
          </div>
          {problem && (
            <p id={ids.problem} className="field-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
    </fieldset>
  );
}
