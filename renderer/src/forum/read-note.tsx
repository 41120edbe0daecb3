import { useTranslation } from 'react-i18next';
import type { ForumRead } from '../../../shared/forum/types';
import { formatDateTime } from '../governance/format';
import { errorText } from '../app/error-text';
import { forumErrorText } from './forum-error';

/** Says when what is shown was read from the forum, and why it is not fresher. */
export function ReadNote({ read }: { read: ForumRead }) {
  const { t, i18n } = useTranslation('forum');
  if (!read.fromCache || read.fetchedAt === null) return null;
  const problem = read.problem ? (forumErrorText(t, i18n, read.problem) ?? errorText(t, read.problem)) : '';
  return (
    <p className="forum-stale" role="status">
      {t('read.fromCache', { time: formatDateTime(read.fetchedAt, i18n.language), problem })}
    </p>
  );
}
