// Search over the cached messages of every room: a search field above the room list, and the
// results (grouped by room: sender, time, the message around the match) in place of the open
// room. Snippets arrive as plain text segments and are shown as text, the matches in <mark>:
// nothing in a message can become markup here. A result opens its room at that message.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute, type Route } from '../store/nav-slice';
import { archiveQueryMaxLength, archiveQueryMaxTerms, parseArchiveQuery } from '../../../shared/governance/archive-query';
import type { ChatSearchHit, ChatSearchResult } from '../../../shared/contract/chat-search';
import { errorText } from '../app/error-text';
import { dateFormatter } from '../app/date-formatter';

/** The route that opens a hit's room at the message (see RoomView's focus). */
export function hitRoute(hit: ChatSearchHit): Route {
  return { section: 'chat', params: [hit.roomId, hit.eventId, String(hit.fromPos)] };
}

export function ChatSearchForm({ onSearch }: { onSearch(text: string): void }) {
  const { t } = useTranslation('chat');
  const id = useId();
  const [text, setText] = useState('');
  return (
    <form
      role="search"
      className="chat-search-form"
      aria-label={t('search.label')}
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() !== '') onSearch(text.trim());
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {t('search.field')}
      </label>
      <input id={id} type="search" value={text} maxLength={archiveQueryMaxLength} placeholder={t('search.placeholder')} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="small">
        {t('search.submit')}
      </button>
    </form>
  );
}

function HitTime({ ts }: { ts: number }) {
  const { i18n } = useTranslation();
  const date = new Date(ts);
  return <time dateTime={date.toISOString()}>{dateFormatter(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(date)}</time>;
}

export function ChatSearchResults({ text, onClose }: { text: string; onClose(): void }) {
  const { t } = useTranslation('chat');
  const navigate = usePlenary((s) => s.navigate);
  const headingId = useId();
  const [result, setResult] = useState<ChatSearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let cancelled = false;
    setResult(null);
    setError(null);
    const terms = parseArchiveQuery(text);
    if (terms.indexed.length + terms.short.length > archiveQueryMaxTerms) {
      setError(t('search.tooManyTerms', { count: archiveQueryMaxTerms }));
      return;
    }
    api()
      .chatSearch.search({ text })
      .then(
        (r) => !cancelled && setResult(r),
        (e: unknown) => !cancelled && setError(e instanceof ApiError ? errorText(t, e) : String(e)),
      );
    return () => {
      cancelled = true;
    };
  }, [text, t]);

  useEffect(() => {
    if (result || error) heading.current?.focus();
  }, [result, error]);

  const count = result?.groups.reduce((n, g) => n + g.hits.length, 0) ?? 0;
  return (
    <section className="chat-search-results" aria-labelledby={headingId}>
      <div className="chat-search-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {t('search.resultsFor', { text })}
        </h2>
        <button type="button" className="small" onClick={onClose}>
          {t('search.close')}
        </button>
      </div>
      <p role="status" className="muted">
        {error ? '' : !result ? t('search.searching') : count === 0 ? t('search.none') : result.more ? t('search.countMore', { n: count }) : t('search.count', { count })}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result?.groups.map((group) => (
        <section key={group.roomId} className="chat-search-group" aria-label={group.roomName}>
          <h3>{group.roomName}</h3>
          <ul>
            {group.hits.map((hit) => (
              <li key={hit.eventId}>
                <a
                  href={formatRoute(hitRoute(hit))}
                  onClick={(event) => {
                    event.preventDefault();
                    onClose();
                    navigate(hitRoute(hit));
                  }}
                >
                  <span className="chat-search-meta">
                    <strong>{hit.senderName}</strong> <HitTime ts={hit.ts} />
                  </span>
                  <span className="chat-search-snippet">
                    {hit.snippet.map((segment, i) => (segment.match ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>))}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
