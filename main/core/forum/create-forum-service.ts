// Builds the forum service for createCore from its real dependencies: posts are recorded on
// votes and assemblies as governance operations, the text comes from the governance exports,
// and what changes is announced on the event bus.
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { GovernanceStore, LocalChange } from '../store/governance-store';
import type { SettingsService } from '../settings/settings-service';
import type { MemberIdentity } from '../identity/member-identity';
import type { CoreOptions } from '../app-core';
import { GovernanceQueries } from '../governance/governance-queries';
import { mainTranslator } from '../i18n/translator';
import { ForumService } from './forum-service';
import { composeForumPost } from './forum-post-text';
import { circleLinks } from './circle-links';

export interface ForumOptions {
  /** Where the browser bridge listens for the forum's redirect (default 47613; README "The coop's forum"). */
  redirectPort?: number;
  signInTimeoutMs?: number;
}

export function createForumService(deps: {
  db: Db;
  governance: GovernanceStore;
  identity: MemberIdentity;
  settings: SettingsService;
  events: EventBus;
  clock: Clock;
  log: Logger;
  options: CoreOptions;
  coopAddress: string | null;
}): ForumService {
  const queries = new GovernanceQueries(deps.db, () => deps.identity.current(), () => deps.clock.now());
  return new ForumService({
    db: deps.db,
    secrets: deps.options.secrets,
    clock: deps.clock,
    log: deps.log,
    translate: mainTranslator(deps.settings, 'forum'),
    runtime: deps.options.runtime,
    coopAddress: deps.coopAddress,
    openSystemBrowser: deps.options.openSystemBrowser,
    ...(deps.options.forum?.redirectPort !== undefined ? { redirectPort: deps.options.forum.redirectPort } : {}),
    ...(deps.options.forum?.signInTimeoutMs !== undefined ? { signInTimeoutMs: deps.options.forum.signInTimeoutMs } : {}),
    ...(deps.options.fetch ? { fetch: deps.options.fetch } : {}),
    compose: (circleId, subject, _purpose, locale) => composeForumPost(queries, circleId, subject, locale),
    recordPosted: (entry, result, topicTitle) => {
      const changes: LocalChange[] = [
        { type: 'forum.post.add', circle: entry.circle, payload: { subject: entry.subject, postId: result.postId, topicId: result.topicId, url: result.url, purpose: entry.purpose } },
      ];
      // A new topic becomes the thread of a vote or assembly that had none.
      const hasThread = circleLinks(deps.db, entry.circle).threads.some((t) => JSON.stringify(t.subject) === JSON.stringify(entry.subject));
      if (topicTitle !== null && !hasThread) {
        const topicUrl = result.url.replace(/\/\d+$/, '');
        changes.push({ type: 'forum.thread.set', circle: entry.circle, payload: { subject: entry.subject, thread: { topicId: result.topicId, url: topicUrl, title: topicTitle } } });
      }
      deps.governance.applyLocalBatch(changes);
    },
    onStatus: (view) => deps.events.emit('forum.status', view),
    onQueue: (circle) => deps.events.emit('forum.queue', { circle }),
  });
}
