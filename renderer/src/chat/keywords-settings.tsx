// Settings › Notification keywords: words that notify in any room that is not muted, kept as
// the member's push rules on the coop server, so Element on their phone notifies them too.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { notifyErrorText } from './notify-errors';

export function KeywordsSettings() {
  const { t } = useTranslation('chat');
  const signedIn = usePlenary((s) => (s.matrixStatus?.session ?? null) !== null);
  // Push rules arrive with the sync, which also redraws the room list: read them again then.
  const rooms = usePlenary((s) => s.chatRooms);
  const [keywords, setKeywords] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { input: useId(), hint: useId(), error: useId() };

  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    api()
      .chat.keywords({})
      .then((list) => live && setKeywords(list))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [signedIn, rooms]);

  if (!signedIn) return null;

  const run = (call: Promise<string[]>, after?: () => void) => {
    setError(null);
    call
      .then((list) => {
        setKeywords(list);
        after?.();
      })
      .catch((caught: unknown) => setError(notifyErrorText(t, caught)));
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    run(api().chat.addKeyword({ keyword: draft }), () => setDraft(''));
  };

  return (
    <section className="card chat-keywords" aria-labelledby={`${ids.input}-title`}>
      <h2 id={`${ids.input}-title`}>{t('notifications.keywordsTitle')}</h2>
      <p id={ids.hint} className="hint">
        {t('notifications.keywordsHint')}
      </p>
      {keywords.length === 0 ? (
        <p className="muted">{t('notifications.noKeywords')}</p>
      ) : (
        <ul className="chat-keyword-list">
          {keywords.map((keyword) => (
            <li key={keyword}>
              <span>{keyword}</span>{' '}
              <button type="button" className="small" aria-label={t('notifications.removeKeyword', { keyword })} onClick={() => run(api().chat.removeKeyword({ keyword }))}>
                {t('notifications.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="field">
        <label htmlFor={ids.input}>{t('notifications.newKeyword')}</label>
        <input id={ids.input} value={draft} maxLength={100} aria-describedby={error ? `${ids.hint} ${ids.error}` : ids.hint} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">{t('notifications.addKeyword')}</button>
      </form>
      {error && (
        <p id={ids.error} className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
