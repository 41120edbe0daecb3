import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseRoomLink } from '../../../shared/meetings/room-link';
import { usePlenary } from '../store';

/** Paste a Greenlight or BBB link and join: for rooms not (yet) attached to a circle. */
export function JoinByLink() {
  const { t } = useTranslation('meetings');
  const join = usePlenary((s) => s.joinMeeting);
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { input: useId(), hint: useId(), error: useId(), heading: useId() };
  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('joinLink.title')}</h2>
      <form
        className="join-link"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = parseRoomLink(url);
          if (!parsed.ok) {
            setProblem(parsed.problem);
            return;
          }
          setProblem(null);
          void join({ kind: 'link', url: parsed.link.url });
        }}
      >
        <div className="field stacked">
          <label htmlFor={ids.input}>{t('joinLink.label')}</label>
          <input
            id={ids.input}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            value={url}
            aria-invalid={problem !== null}
            aria-describedby={problem ? `${ids.error} ${ids.hint}` : ids.hint}
            onChange={(e) => {
              setUrl(e.target.value);
              if (problem) setProblem(null);
            }}
          />
          <p id={ids.hint} className="hint">
            {t('joinLink.hint')}
          </p>
          {problem && (
            <p id={ids.error} className="field-error" role="alert">
              {t(`linkError.${problem}`)}
            </p>
          )}
        </div>
        <button type="submit" className="primary">
          {t('joinLink.submit')}
        </button>
      </form>
    </section>
  );
}
