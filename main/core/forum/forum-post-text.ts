// What goes to the forum for a closed vote or assembly: the same Markdown as the exported
// results or minutes (governance-exports.ts, which the forum renders), in the member's
// language, with a title for a new topic.
import type { GovernanceQueries } from '../governance/governance-queries';
import { minutesMarkdown, voteResultsMarkdown } from '../governance/governance-exports';
import { createTranslator } from '../i18n/translator';
import { isLocale, type Locale } from '../../../shared/locales';
import type { ThreadSubject } from '../../../shared/governance/link-operation-types';
import type { ComposedPost } from './forum-service';

export function composeForumPost(queries: GovernanceQueries, circleId: string, subject: ThreadSubject, localeName: string): ComposedPost {
  const locale: Locale = isLocale(localeName) ? localeName : 'en';
  const t = createTranslator(locale);
  const timeZone = queries.circle(circleId).timezone;
  if (subject.kind === 'vote') {
    const vote = queries.vote(circleId, subject.voteId);
    return {
      title: t('forum:post.resultTitle', { question: vote.question }),
      raw: voteResultsMarkdown(vote, locale, timeZone).text,
      canFacilitate: vote.canFacilitate,
      closed: vote.status === 'closed',
    };
  }
  const assembly = queries.assembly(circleId, subject.assemblyId);
  return {
    title: t('forum:post.minutesTitle', { title: assembly.title }),
    raw: minutesMarkdown(assembly, locale, timeZone).text,
    canFacilitate: assembly.canFacilitate,
    closed: assembly.status === 'closed',
  };
}
