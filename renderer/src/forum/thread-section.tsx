// The forum side of a vote or an assembly: the thread it is discussed in (a facilitator links
// it by pasting the topic's address), the posts its result or minutes went out as, and, once
// it is closed, posting them as a reply in the thread or a new topic in the circle's
// category. Posts go through main's queue: offline they wait, and they go out once.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { toErrorData } from '../store/app-slice';
import type { PlenaryErrorData } from '../../../shared/errors';
import type { ThreadSubject } from '../../../shared/governance/link-operation-types';
import type { ForumQueueEntry } from '../../../shared/forum/types';
import { isLocale } from '../../../shared/locales';
import { applyChange, useAction, useGovernanceQuery } from '../governance/use-governance';
import { formatDateTime } from '../governance/format';
import { useForum } from './forum-store';
import { useForumStatus } from './forum-settings';
import { ForumError } from './forum-error';
import './forum.css';

const sameSubject = (a: ThreadSubject, b: ThreadSubject) => JSON.stringify(a) === JSON.stringify(b);

function useQueue(circleId: string, subject: ThreadSubject): ForumQueueEntry[] {
  const revision = useForum((s) => s.queueRevision);
  const [entries, setEntries] = useState<ForumQueueEntry[]>([]);
  const key = JSON.stringify(subject);
  useEffect(() => {
    let live = true;
    api()
      .forum.queue({ circleId })
      .then(
        (all) => live && setEntries(all.filter((e) => JSON.stringify(e.subject) === key)),
        () => live && setEntries([]),
      );
    return () => {
      live = false;
    };
  }, [circleId, key, revision]);
  return entries;
}

function QueueEntry({ entry }: { entry: ForumQueueEntry }) {
  const { t, i18n } = useTranslation('forum');
  const action = useAction();
  return (
    <li>
      <span className={`badge ${entry.state === 'refused' ? 'closed' : 'soft'}`}>{t(`posting.state.${entry.state}`)}</span>{' '}
      {entry.url && (
        <a href={entry.url} target="_blank" rel="noreferrer noopener">
          {t('posting.view')}
        </a>
      )}
      {entry.state !== 'posted' && entry.nextAt !== null && <span className="muted"> {t('posting.nextTry', { time: formatDateTime(entry.nextAt, i18n.language) })}</span>}
      {entry.state !== 'posted' && <ForumError error={entry.problem} />}
      {entry.state !== 'posted' && (
        <button type="button" className="link-button" disabled={action.busy} onClick={() => void action.run(() => api().forum.retry({ id: entry.id }))}>
          {t('posting.retry')}
        </button>
      )}
      {entry.state === 'refused' && (
        <button type="button" className="link-button" disabled={action.busy} onClick={() => void action.run(() => api().forum.dismiss({ id: entry.id }))}>
          {t('posting.dismiss')}
        </button>
      )}
      <ForumError error={action.error} />
    </li>
  );
}

export function ForumThreadSection({ circleId, subject, canFacilitate, closed }: { circleId: string; subject: ThreadSubject; canFacilitate: boolean; closed: boolean }) {
  const { t, i18n } = useTranslation('forum');
  const ids = { address: useId(), hint: useId(), title: useId() };
  const links = useGovernanceQuery(() => api().forum.links({ circleId }), circleId);
  const queue = useQueue(circleId, subject);
  const forumStatus = useForumStatus();
  const signedIn = !!forumStatus?.account;
  const action = useAction();
  const [address, setAddress] = useState('');
  const [target, setTarget] = useState<'reply' | 'topic' | null>(null);
  const [preview, setPreview] = useState<{ title: string; raw: string } | null>(null);
  const [previewError, setPreviewError] = useState<PlenaryErrorData | null>(null);
  const purpose = subject.kind === 'vote' ? 'result' : 'minutes';
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  const data = links.data;
  const thread = data?.threads.find((x) => sameSubject(x.subject, subject))?.thread ?? null;
  const posts = data?.posts.filter((p) => sameSubject(p.subject, subject)) ?? [];
  const category = data?.category ?? null;
  const chosen = target ?? (thread ? 'reply' : category ? 'topic' : null);
  const pending = queue.filter((e) => e.state !== 'posted');

  const link = () =>
    action.run(async () => {
      const resolved = await api().forum.resolveThread({ url: address });
      await applyChange({ type: 'forum.thread.set', circle: circleId, payload: { subject, thread: resolved } });
      setAddress('');
    });
  const post = () =>
    action.run(async () => {
      if (!chosen) return;
      await api().forum.post({ circleId, subject, purpose, target: chosen, locale });
      setPreview(null);
    });
  const showPreview = async () => {
    setPreviewError(null);
    try {
      setPreview(await api().forum.preview({ circleId, subject, purpose, locale }));
    } catch (error) {
      setPreviewError(toErrorData(error));
    }
  };

  // A coop without a forum sees nothing of it.
  if (!forumStatus?.address && !thread && posts.length === 0 && queue.length === 0) return null;
  return (
    <section className="card" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('thread.title')}</h2>
      {thread ? (
        <p>
          {t('thread.linked')}{' '}
          <a href={thread.url} target="_blank" rel="noreferrer noopener">
            {thread.title}
          </a>
          {canFacilitate && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => void action.run(() => applyChange({ type: 'forum.thread.set', circle: circleId, payload: { subject, thread: null } }))}>
                {t('thread.unlink')}
              </button>
            </>
          )}
        </p>
      ) : (
        <p className="muted">{t('thread.none')}</p>
      )}
      {posts.length > 0 && (
        <ul className="forum-queue" aria-label={t('thread.posts')}>
          {posts.map((p) => (
            <li key={p.postId}>
              <a href={p.url} target="_blank" rel="noreferrer noopener">
                {t(p.purpose === 'result' ? 'thread.resultPost' : 'thread.minutesPost')}
              </a>
            </li>
          ))}
        </ul>
      )}
      {canFacilitate && !thread && signedIn && (
        <form
          className="gov-inline-form"
          aria-label={t('thread.link')}
          onSubmit={(e) => {
            e.preventDefault();
            void link();
          }}
        >
          <div className="field">
            <label htmlFor={ids.address}>{t('thread.address')}</label>
            <input id={ids.address} type="url" required value={address} aria-describedby={ids.hint} onChange={(e) => setAddress(e.target.value)} />
            <p id={ids.hint} className="hint">
              {t('thread.addressHint')}
            </p>
          </div>
          <div className="actions">
            <button type="submit" disabled={action.busy}>
              {t('thread.link')}
            </button>
          </div>
        </form>
      )}
      {canFacilitate && !signedIn && <p className="muted">{t('errors.forum_signed_out')}</p>}
      {canFacilitate && signedIn && posts.length === 0 && (
        <div className="forum-posting">
          <h3>{t(purpose === 'result' ? 'posting.resultHeading' : 'posting.minutesHeading')}</h3>
          {!closed ? (
            <p className="muted">{t(purpose === 'result' ? 'posting.closeFirstVote' : 'posting.closeFirstAssembly')}</p>
          ) : !thread && !category ? (
            <p className="muted">{t('posting.noTarget')}</p>
          ) : (
            pending.length === 0 && (
              <form
                aria-label={t(purpose === 'result' ? 'posting.resultHeading' : 'posting.minutesHeading')}
                onSubmit={(e) => {
                  e.preventDefault();
                  void post();
                }}
              >
                <fieldset>
                  <legend>{t('posting.target')}</legend>
                  {thread && (
                    <label className="checkbox">
                      <input type="radio" name={`${ids.title}-target`} checked={chosen === 'reply'} onChange={() => setTarget('reply')} /> {t('posting.asReply', { title: thread.title })}
                    </label>
                  )}
                  {category && (
                    <label className="checkbox">
                      <input type="radio" name={`${ids.title}-target`} checked={chosen === 'topic'} onChange={() => setTarget('topic')} /> {t('posting.asTopic', { category: category.name })}
                    </label>
                  )}
                </fieldset>
                <p className="hint">{t('posting.queuedNote')}</p>
                <div className="actions">
                  <button type="button" onClick={() => void showPreview()}>
                    {t('posting.showPreview')}
                  </button>
                  <button type="submit" className="primary" disabled={action.busy || !chosen}>
                    {t('posting.post')}
                  </button>
                </div>
                <ForumError error={previewError} />
                {preview && (
                  <pre className="forum-preview" tabIndex={0} aria-label={t('posting.showPreview')}>
                    {preview.raw}
                  </pre>
                )}
              </form>
            )
          )}
        </div>
      )}
      {queue.length > 0 && (
        <ul className="forum-queue">
          {queue.map((entry) => (
            <QueueEntry key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
      <ForumError error={action.error ?? links.error} />
    </section>
  );
}
