// A forum topic read in Plenary: its posts as the forum rendered them (sanitised in main like
// chat messages), read-only, with a link to reply on the forum.
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import { SafeHtml } from '../chat/safe-html';
import { formatDateTime } from '../governance/format';
import { useGovernanceQuery } from '../governance/use-governance';
import { useForumRead } from './use-forum-read';
import { ForumError } from './forum-error';
import { ReadNote } from './read-note';
import './forum.css';

export function TopicPage({ circleId, topicId }: { circleId: string; topicId: number }) {
  const { t, i18n } = useTranslation('forum');
  const navigate = usePlenary((s) => s.navigate);
  const circle = useGovernanceQuery(() => api().governance.circle({ circleId }), circleId);
  const topic = useForumRead(() => api().forum.topic({ topicId }), String(topicId));
  const back = { section: 'circles' as const, params: [circleId] };
  const data = topic.data;
  return (
    <section aria-labelledby="topic-title" className="forum-topic">
      <a
        className="gov-back"
        href={formatRoute(back)}
        onClick={(e) => {
          e.preventDefault();
          navigate(back);
        }}
      >
        {t('topic.back', { circle: circle.data?.name ?? '' })}
      </a>
      <ForumError error={topic.error} />
      {data && (
        <>
          <h1 id="topic-title">{data.title}</h1>
          <ReadNote read={data} />
          {data.posts.map((post) => (
            <article key={post.id} className="card forum-post" aria-labelledby={`post-${post.id}`}>
              <h2 id={`post-${post.id}`} className="forum-post-author">
                {t('topic.by', { name: post.name, username: post.username })} <span className="muted">{formatDateTime(post.createdAt, i18n.language)}</span>
              </h2>
              {post.html ? <SafeHtml html={post.html} className="forum-post-body" /> : <p className="muted">{t('topic.nothing')}</p>}
            </article>
          ))}
          {data.morePosts > 0 && <p className="muted">{t('topic.morePosts', { count: data.morePosts })}</p>}
          <p>
            <a className="button primary" href={data.url} target="_blank" rel="noreferrer noopener">
              {t('topic.replyOnForum')}
            </a>
          </p>
        </>
      )}
    </section>
  );
}
