// A circle's forum on its page: the category a facilitator chose, and its latest topics with
// the member's unread state; a topic opens in Plenary to read.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import type { CircleDetail } from '../../../shared/governance/views';
import type { ForumCategoryView } from '../../../shared/forum/types';
import { applyChange, useAction } from '../governance/use-governance';
import { formatDateTime } from '../governance/format';
import { useForumStatus } from './forum-settings';
import { useForumRead } from './use-forum-read';
import { ForumError } from './forum-error';
import { ReadNote } from './read-note';
import './forum.css';

function CategoryChooser({ circle, current }: { circle: CircleDetail; current: number | null }) {
  const { t } = useTranslation('forum');
  const id = useId();
  const action = useAction();
  const [categories, setCategories] = useState<ForumCategoryView[] | null>(null);
  const [choice, setChoice] = useState<string>(current === null ? '' : String(current));
  if (!categories) {
    return (
      <>
        <button type="button" onClick={() => void action.run(async () => setCategories((await api().forum.categories({})).categories))}>
          {t('circle.loadCategories')}
        </button>
        <ForumError error={action.error} />
      </>
    );
  }
  const save = () =>
    action.run(async () => {
      const picked = categories.find((c) => String(c.id) === choice);
      await applyChange({ type: 'circle.forum.set', circle: circle.id, payload: { category: picked ? { id: picked.id, slug: picked.slug, name: picked.name } : null } });
      setCategories(null);
    });
  return (
    <form
      className="gov-inline-form"
      aria-label={t('circle.chooseCategory')}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="field">
        <label htmlFor={id}>{t('circle.category')}</label>
        <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('circle.noCategoryOption')}</option>
          {categories.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          {t('circle.saveCategory')}
        </button>
      </div>
      <ForumError error={action.error} />
    </form>
  );
}

export function CircleForumSection({ circle }: { circle: CircleDetail }) {
  const { t, i18n } = useTranslation('forum');
  const navigate = usePlenary((s) => s.navigate);
  const status = useForumStatus();
  const signedIn = !!status?.account;
  const list = useForumRead(() => (signedIn ? api().forum.topics({ circleId: circle.id }) : Promise.resolve(null)), `${circle.id}/${signedIn}`);
  const topics = list.data;
  const category = topics?.category ?? null;
  return (
    <section className="card" aria-labelledby="circle-forum-title">
      <h2 id="circle-forum-title">{t('circle.title')}</h2>
      {!signedIn ? (
        <p className="muted">{t('circle.signInFirst')}</p>
      ) : (
        <>
          {topics && !category && <p className="muted">{t('circle.noCategory')}</p>}
          {topics && category && (
            <>
              <h3>{t('circle.latest', { name: category.name })}</h3>
              <ReadNote read={topics} />
              {topics.topics.length === 0 ? (
                <p className="muted">{t('circle.noTopics')}</p>
              ) : (
                <ul className="forum-topics">
                  {topics.topics.map((topic) => {
                    const unread = topic.unseen || topic.unreadPosts > 0;
                    const route = { section: 'circles' as const, params: [circle.id, 'topics', String(topic.id)] };
                    return (
                      <li key={topic.id} className={unread ? 'unread' : undefined}>
                        <a
                          href={formatRoute(route)}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(route);
                          }}
                        >
                          {topic.title}
                        </a>{' '}
                        {topic.unseen ? <span className="badge">{t('circle.new')}</span> : topic.unreadPosts > 0 && <span className="badge">{t('circle.unread', { count: topic.unreadPosts })}</span>}
                        <span className="muted">
                          {' '}
                          {t('circle.posts', { count: topic.postsCount })}
                          {topic.lastPostedAt !== null && ` · ${formatDateTime(topic.lastPostedAt, i18n.language)}`}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              )}
              <p>
                <a href={`${status.account!.site}/c/${category.slug}/${category.id}`} target="_blank" rel="noreferrer noopener">
                  {t('circle.openOnForum')}
                </a>{' '}
                <button type="button" className="link-button" onClick={list.reload}>
                  {t('circle.refresh')}
                </button>
              </p>
            </>
          )}
          <ForumError error={list.error} />
          {circle.canFacilitate && !circle.archived && <CategoryChooser circle={circle} current={category?.id ?? null} />}
        </>
      )}
    </section>
  );
}
