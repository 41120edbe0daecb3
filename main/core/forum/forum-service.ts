// The coop's forum (Discourse) for one member: sign-in with a User API key (user-api-key.ts;
// the key kept in main's secret store, like the Matrix token), revoking it, reading a
// circle's category and topics (kept for offline reading), and the queue that posts results
// and minutes once (post-queue.ts).
//
// The authorisation page answers with a redirect carrying the encrypted key. In the desktop
// app that is plenary://discourse-auth?payload=… (the shell hands it to completeSignIn); in
// the browser bridge a loopback listener on a fixed port receives it (Discourse only
// redirects to addresses its allowed_user_api_auth_redirects lists, port included).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { SecretStore } from '../secrets/secret-store';
import type { Translate } from '../i18n/translator';
import type { Runtime } from '../settings/settings-service';
import { PlenaryError } from '../../../shared/errors';
import { coopConfigSchema } from '../../../shared/coop-config';
import type { ForumThreadRef, ThreadSubject } from '../../../shared/governance/link-operation-types';
import type {
  ForumCategoryList,
  ForumCategoryView,
  ForumPostView,
  ForumQueueEntry,
  ForumRead,
  ForumStatusView,
  ForumTopicList,
  ForumTopicSummary,
  ForumTopicView,
} from '../../../shared/forum/types';
import { startLoopbackListener, type LoopbackListener } from '../matrix/sso-loopback';
import { ForumHttpError, forumRequest, type ForumRequest } from './discourse-http';
import { forumError, forumProblem } from './forum-errors';
import { IntegrationAccounts, secretNames } from './integration-accounts';
import { newKeyRequest, openPayload, type PendingKeyRequest } from './user-api-key';
import { sanitizeCookedHtml } from './cooked-html';
import { circleLinks } from './circle-links';
import { ForumPostQueue, type ForumSession, type PostedResult } from './post-queue';

export const desktopRedirect = 'plenary://discourse-auth';
export const defaultRedirectPort = 47613;
export const redirectPath = '/discourse-auth';

export interface ComposedPost {
  title: string;
  raw: string;
  canFacilitate: boolean;
  closed: boolean;
}

export interface ForumServiceOptions {
  db: Db;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  translate: Translate;
  runtime: Runtime;
  /** coop.json's discourse.url, or null. */
  coopAddress: string | null;
  openSystemBrowser?: ((url: string) => Promise<void>) | undefined;
  /** The browser bridge's redirect listener port (README: allowed_user_api_auth_redirects). */
  redirectPort?: number;
  /** How long the authorisation page may take before the sign-in is given up. */
  signInTimeoutMs?: number;
  fetch?: typeof fetch;
  /** The vote's result or the assembly's minutes as Markdown, with who may post them. */
  compose(circleId: string, subject: ThreadSubject, purpose: 'result' | 'minutes', locale: string): ComposedPost;
  /** Records a post on the vote or assembly as governance operations. */
  recordPosted(entry: ForumQueueEntry, result: PostedResult, topicTitle: string | null): void;
  onStatus(view: ForumStatusView): void;
  onQueue(circle: string): void;
}

interface DiscourseTopicJson {
  id: number;
  title: string;
  slug: string;
  posts_count: number;
  post_stream: { posts: { id: number; post_number: number; username: string; name?: string | null; created_at: string; cooked: string }[]; stream?: number[] };
}

interface DiscourseTopicListJson {
  topic_list: {
    topics: {
      id: number;
      title: string;
      slug: string;
      posts_count: number;
      highest_post_number?: number;
      last_posted_at?: string | null;
      last_poster_username?: string;
      unseen?: boolean;
      last_read_post_number?: number | null;
      unread_posts?: number;
    }[];
  };
}

const addressSchema = coopConfigSchema.shape.discourse.unwrap().shape.url;

function parseTime(text: string | null | undefined): number | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

export class ForumService {
  readonly accounts: IntegrationAccounts;
  readonly queue: ForumPostQueue;
  private listener: LoopbackListener | null = null;
  private pendingUrl: string | null = null;

  constructor(private readonly options: ForumServiceOptions) {
    this.accounts = new IntegrationAccounts(options.db);
    this.queue = new ForumPostQueue({
      db: options.db,
      clock: options.clock,
      log: options.log,
      session: () => this.session(),
      recordPosted: (entry, result) => {
        const title = entry.target.kind === 'topic' ? entry.target.title : null;
        options.recordPosted(entry, result, title);
      },
      onKeyRejected: () => this.keyRejected(),
      onChange: (circle) => options.onQueue(circle),
    });
  }

  /** Sends what was queued before (after a restart: looking first for what may have gone out). */
  start(): void {
    this.queue.kick();
  }

  close(): void {
    this.closeListener();
    this.queue.close();
  }

  // --- Account ----------------------------------------------------------------------

  address(): string | null {
    const own = this.accounts.read('discourse').address;
    return own !== '' ? own : this.options.coopAddress;
  }

  view(): ForumStatusView {
    const account = this.accounts.read('discourse');
    const key = this.options.secrets.get(secretNames.discourseKey);
    const signedIn = key !== undefined && account.signedInUrl !== null && account.username !== null;
    return {
      address: this.address(),
      memberAddress: account.address,
      coopAddress: this.options.coopAddress,
      account: signedIn ? { username: account.username!, name: account.username!, site: account.signedInUrl!, since: account.signedInAt ?? 0 } : null,
      expired: signedIn && account.expiredAt !== null,
      pending: this.pendingUrl ? { url: this.pendingUrl, startedAt: this.pending()?.startedAt ?? this.options.clock.now() } : null,
      keyStorage: this.options.secrets.persistence,
    };
  }

  setAddress(raw: string): ForumStatusView {
    let address = '';
    if (raw.trim() !== '') {
      const parsed = addressSchema.safeParse(raw);
      if (!parsed.success) {
        const detail = parsed.error.issues[0]?.message ?? 'is not a server address';
        throw forumProblem('invalid_input', 'forum_address_invalid', `Forum address: ${detail}`, { detail }, 'address');
      }
      address = parsed.data;
    }
    this.accounts.write('discourse', { address });
    this.emit();
    return this.view();
  }

  async signIn(): Promise<{ url: string; openedExternally: boolean }> {
    const site = this.address();
    if (!site) throw forumProblem('invalid_input', 'forum_not_configured', 'No forum address is set: enter it in Settings › Forum', {}, 'address');
    await this.checkForum(site);
    let account = this.accounts.read('discourse');
    if (!account.clientId) account = this.accounts.write('discourse', { clientId: randomUUID() });
    this.closeListener();
    const redirect = this.options.runtime === 'electron' ? desktopRedirect : await this.listen();
    const { pending, url } = await newKeyRequest(site, redirect, account.clientId!, this.options.clock.now());
    this.options.secrets.set(secretNames.discoursePending, JSON.stringify(pending));
    this.pendingUrl = url;
    this.emit();
    if (!this.options.openSystemBrowser) return { url, openedExternally: false };
    try {
      await this.options.openSystemBrowser(url);
    } catch (error) {
      this.cancelSignIn();
      throw forumProblem('internal', 'forum_browser', `Could not open the system browser: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { url, openedExternally: true };
  }

  cancelSignIn(): ForumStatusView {
    this.closeListener();
    this.options.secrets.delete(secretNames.discoursePending);
    this.pendingUrl = null;
    this.emit();
    return this.view();
  }

  /** The payload the forum redirected back with (from plenary://discourse-auth or the loopback listener). */
  async completeSignIn(payload: string): Promise<ForumStatusView> {
    const pending = this.pending();
    if (!pending) throw forumProblem('invalid_input', 'forum_no_sign_in', 'No forum sign-in is waiting; start it again from Settings › Forum');
    const opened = openPayload(payload, pending);
    if (!opened.ok) {
      this.options.log.warn('refused a forum sign-in answer', { problem: opened.problem });
      throw forumProblem('invalid_input', 'forum_payload_invalid', 'The forum\'s answer could not be read with this sign-in\'s key; start the sign-in again', { problem: opened.problem });
    }
    let username: string;
    try {
      const current = await this.raw<{ current_user?: { username?: string } }>(pending.site, opened.key, pending.clientId, { method: 'GET', path: '/session/current.json' });
      username = current.current_user?.username ?? '';
    } catch (error) {
      throw forumError(error, pending.site);
    }
    const previousSite = this.accounts.read('discourse').signedInUrl;
    if (previousSite !== null && previousSite !== pending.site) this.clearCache();
    this.options.secrets.set(secretNames.discourseKey, opened.key);
    this.options.secrets.delete(secretNames.discoursePending);
    this.accounts.write('discourse', { signedInUrl: pending.site, username: username || '?', signedInAt: this.options.clock.now(), expiredAt: null });
    this.pendingUrl = null;
    this.closeListener();
    this.options.log.info('signed in to the forum', { site: pending.site, username });
    this.emit();
    this.queue.kick();
    return this.view();
  }

  /** Revokes the key on the forum when it answers; forgets it here either way. */
  async revoke(): Promise<{ status: ForumStatusView; revokedOnForum: boolean }> {
    const key = this.options.secrets.get(secretNames.discourseKey);
    const account = this.accounts.read('discourse');
    let revokedOnForum = false;
    if (key && account.signedInUrl) {
      try {
        await this.raw(account.signedInUrl, key, account.clientId ?? undefined, { method: 'POST', path: '/user-api-key/revoke', body: {}, timeoutMs: 10_000 });
        revokedOnForum = true;
      } catch (error) {
        // An expired key is already unusable; otherwise the member is told it still works there.
        revokedOnForum = error instanceof ForumHttpError && error.status === 403;
        this.options.log.info('could not revoke the forum key on the forum; forgetting it here', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.options.secrets.delete(secretNames.discourseKey);
    this.accounts.write('discourse', { signedInUrl: null, username: null, signedInAt: null, expiredAt: null });
    this.clearCache();
    this.emit();
    return { status: this.view(), revokedOnForum };
  }

  /** The member's forum session, or null when signed out or the key was refused. */
  session(): ForumSession | null {
    const key = this.options.secrets.get(secretNames.discourseKey);
    const account = this.accounts.read('discourse');
    if (!key || !account.signedInUrl || account.expiredAt !== null) return null;
    const site = account.signedInUrl;
    return {
      site,
      request: async <T>(request: Omit<ForumRequest, 'site' | 'key' | 'clientId'>) => {
        try {
          return await this.raw<T>(site, key, account.clientId ?? undefined, request);
        } catch (error) {
          if (error instanceof ForumHttpError && error.status === 403 && error.errorType === 'invalid_access') this.keyRejected();
          throw error;
        }
      },
    };
  }

  // --- Reading ----------------------------------------------------------------------

  async categories(): Promise<ForumCategoryList> {
    const read = await this.cachedRead('categories', async (session) => {
      const json = await session.request<{ category_list: { categories: { id: number; slug: string; name: string; description_text?: string | null; topic_count?: number }[] } }>({
        method: 'GET',
        path: '/categories.json',
      });
      return json.category_list.categories.map(
        (c): ForumCategoryView => ({ id: c.id, slug: c.slug, name: c.name, description: c.description_text ?? '', topicCount: c.topic_count ?? 0 }),
      );
    });
    return { ...read.meta, categories: read.value };
  }

  async topics(circleId: string): Promise<ForumTopicList> {
    const category = circleLinks(this.options.db, circleId).category;
    if (!category) return { category: null, topics: [], fetchedAt: null, fromCache: false, problem: null };
    const read = await this.cachedRead(`category:${category.id}`, async (session) => {
      const json = await session.request<DiscourseTopicListJson>({ method: 'GET', path: `/c/${encodeURIComponent(category.slug)}/${category.id}.json` });
      return json.topic_list.topics.map(
        (t): ForumTopicSummary => ({
          id: t.id,
          title: t.title,
          url: `${session.site}/t/${t.slug}/${t.id}`,
          postsCount: t.posts_count,
          lastPostedAt: parseTime(t.last_posted_at),
          lastPoster: t.last_poster_username ?? '',
          unseen: t.unseen === true,
          unreadPosts: t.unread_posts ?? (t.last_read_post_number !== null && t.last_read_post_number !== undefined && t.highest_post_number ? Math.max(0, t.highest_post_number - t.last_read_post_number) : 0),
        }),
      );
    });
    return { ...read.meta, category, topics: read.value };
  }

  async topic(topicId: number): Promise<ForumTopicView> {
    const read = await this.cachedRead(`topic:${topicId}`, async (session) => {
      const json = await session.request<DiscourseTopicJson>({ method: 'GET', path: `/t/${topicId}.json` });
      const posts = json.post_stream.posts.map(
        (p): ForumPostView => ({
          id: p.id,
          postNumber: p.post_number,
          username: p.username,
          name: p.name || p.username,
          createdAt: parseTime(p.created_at) ?? 0,
          html: sanitizeCookedHtml(p.cooked, session.site),
        }),
      );
      // Read in Plenary is read on the forum too (what Discourse's own client reports).
      const timings: [string, string][] = [['topic_id', String(topicId)], ['topic_time', String(posts.length * 1000)], ...posts.map((p) => [`timings[${p.postNumber}]`, '1000'] as [string, string])];
      await session.request({ method: 'POST', path: '/topics/timings', form: timings }).catch((error: unknown) => {
        this.options.log.info('could not mark a forum topic read', { topicId, reason: error instanceof Error ? error.message : String(error) });
      });
      return { id: json.id, title: json.title, url: `${session.site}/t/${json.slug}/${json.id}`, posts, morePosts: Math.max(0, json.posts_count - posts.length) };
    });
    return { ...read.meta, ...read.value };
  }

  /** A pasted topic address on the member's forum, read back for its id and title. */
  async resolveThread(raw: string): Promise<ForumThreadRef> {
    const session = this.requireSession();
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw forumProblem('invalid_input', 'forum_not_a_topic_link', 'That is not a forum topic address (such as https://forum.example.coop/t/budget/123)', {}, 'url');
    }
    const match = /^\/t\/(?:[^/]+\/)?(\d+)(?:\/\d+)?\/?$/.exec(url.pathname);
    if (url.origin !== new URL(session.site).origin || !match) {
      throw forumProblem('invalid_input', 'forum_not_a_topic_link', `That is not a topic address on ${session.site} (such as ${session.site}/t/budget/123)`, { address: session.site }, 'url');
    }
    try {
      const topic = await session.request<DiscourseTopicJson>({ method: 'GET', path: `/t/${match[1]}.json` });
      return { topicId: topic.id, url: `${session.site}/t/${topic.slug}/${topic.id}`, title: topic.title };
    } catch (error) {
      throw forumError(error, session.site);
    }
  }

  // --- Posting ----------------------------------------------------------------------

  post(input: { circleId: string; subject: ThreadSubject; purpose: 'result' | 'minutes'; target: 'reply' | 'topic'; locale: string }): ForumQueueEntry {
    const account = this.accounts.read('discourse');
    if (!account.signedInUrl || !this.options.secrets.get(secretNames.discourseKey)) {
      throw forumProblem('forbidden', 'forum_signed_out', 'Sign in to the forum first (Settings › Forum)');
    }
    const composed = this.options.compose(input.circleId, input.subject, input.purpose, input.locale);
    if (!composed.canFacilitate) throw new PlenaryError('forbidden', 'Only a facilitator of the circle may post its results and minutes', { params: { reason: 'not_facilitator' } });
    if (!composed.closed) {
      throw new PlenaryError('invalid_input', input.purpose === 'result' ? 'Close the vote before posting its result' : 'Close the assembly before posting its minutes', {
        params: { reason: input.purpose === 'result' ? 'vote_open' : 'assembly_not_closed' },
      });
    }
    const links = circleLinks(this.options.db, input.circleId);
    const sameSubject = (s: ThreadSubject) => JSON.stringify(s) === JSON.stringify(input.subject);
    let target: Parameters<ForumPostQueue['enqueue']>[0]['target'];
    if (input.target === 'reply') {
      const thread = links.threads.find((t) => sameSubject(t.subject));
      if (!thread) throw forumProblem('invalid_input', 'forum_no_thread', 'Link a forum thread first, or post as a new topic', {}, 'target');
      target = { kind: 'reply', topicId: thread.thread.topicId };
    } else {
      if (!links.category) throw forumProblem('invalid_input', 'forum_no_category', "The circle has no forum category yet: a facilitator chooses it on the circle's page", {}, 'target');
      target = { kind: 'topic', categoryId: links.category.id, categorySlug: links.category.slug, title: composed.title };
    }
    return this.queue.enqueue({
      site: account.signedInUrl,
      circle: input.circleId,
      subject: input.subject,
      purpose: input.purpose,
      target,
      raw: composed.raw,
      footer: (ref) => `_${this.options.translate('forum:post.footer', { ref })}_`,
    });
  }

  // --- Internals --------------------------------------------------------------------

  private requireSession(): ForumSession {
    const session = this.session();
    if (session) return session;
    const account = this.accounts.read('discourse');
    if (account.signedInUrl && account.expiredAt !== null) {
      throw forumProblem('forbidden', 'forum_key_expired', "The forum no longer accepts Plenary's key; sign in to the forum again in Settings › Forum");
    }
    throw forumProblem('forbidden', 'forum_signed_out', 'Sign in to the forum first (Settings › Forum)');
  }

  private raw<T>(site: string, key: string, clientId: string | undefined, request: Omit<ForumRequest, 'site' | 'key' | 'clientId'>): Promise<T> {
    return forumRequest<T>({ ...request, site, key, clientId, ...(this.options.fetch ? { fetch: this.options.fetch } : {}) });
  }

  /** Whether a Discourse forum answers at the address, in words the member can act on. */
  private async checkForum(site: string): Promise<void> {
    try {
      const info = await forumRequest<{ title?: unknown }>({ site, method: 'GET', path: '/site/basic-info.json', timeoutMs: 15_000, ...(this.options.fetch ? { fetch: this.options.fetch } : {}) });
      if (typeof info.title !== 'string') throw new ForumHttpError(200, [], 'not_json', null, 'no forum title');
    } catch (error) {
      const problem = forumError(error, site);
      if (problem.params?.reason === 'forum_not_found' || problem.params?.reason === 'forum_error') {
        throw forumProblem('remote_error', 'not_discourse', `${site} does not answer like a Discourse forum; check the forum address in Settings › Forum`, { address: site }, 'address');
      }
      throw new PlenaryError(problem.code, problem.message, { params: problem.params ?? {}, field: 'address' });
    }
  }

  private pending(): PendingKeyRequest | null {
    const text = this.options.secrets.get(secretNames.discoursePending);
    if (!text) return null;
    try {
      return JSON.parse(text) as PendingKeyRequest;
    } catch {
      return null;
    }
  }

  private async listen(): Promise<string> {
    const port = this.options.redirectPort ?? defaultRedirectPort;
    const t = this.options.translate;
    let listener: LoopbackListener;
    try {
      listener = await startLoopbackListener({
        timeoutMs: this.options.signInTimeoutMs ?? 10 * 60_000,
        port,
        callbackPath: redirectPath,
        param: 'payload',
        page: (outcome) => ({
          lang: t('forum:authPage.lang'),
          title: t(outcome === 'done' ? 'forum:authPage.doneTitle' : 'forum:authPage.failedTitle'),
          message: t(outcome === 'done' ? 'forum:authPage.doneMessage' : 'forum:authPage.failedMessage'),
        }),
      });
    } catch (error) {
      throw forumProblem('internal', 'forum_redirect_port', `Plenary could not listen on 127.0.0.1:${port} for the forum's answer (${error instanceof Error ? error.message : String(error)}); close the program using that port`, { port });
    }
    this.listener = listener;
    void listener.loginToken.then(
      (payload) => {
        if (this.listener !== listener) return;
        this.listener = null;
        this.completeSignIn(payload).catch((error: unknown) => this.options.log.warn('the forum sign-in did not complete', { reason: error instanceof Error ? error.message : String(error) }));
      },
      () => {
        if (this.listener !== listener) return;
        this.listener = null;
        this.pendingUrl = null;
        this.emit();
      },
    );
    return `http://127.0.0.1:${port}${redirectPath}`;
  }

  private closeListener(): void {
    const listener = this.listener;
    this.listener = null;
    listener?.close();
  }

  private keyRejected(): void {
    const account = this.accounts.read('discourse');
    if (account.expiredAt !== null || !account.signedInUrl) return;
    this.accounts.write('discourse', { expiredAt: this.options.clock.now() });
    this.options.log.warn('the forum no longer accepts the key; the member must sign in again', { site: account.signedInUrl });
    this.emit();
  }

  private async cachedRead<T>(key: string, fetchNow: (session: ForumSession) => Promise<T>): Promise<{ value: T; meta: ForumRead }> {
    const session = this.requireSession();
    const cached = this.options.db.prepare('SELECT json, fetched_at FROM forum_cache WHERE site = ? AND key = ?').get(session.site, key) as { json: string; fetched_at: number } | undefined;
    try {
      const value = await fetchNow(session);
      const now = this.options.clock.now();
      this.options.db.prepare('INSERT OR REPLACE INTO forum_cache (site, key, json, fetched_at) VALUES (?, ?, ?, ?)').run(session.site, key, JSON.stringify(value), now);
      return { value, meta: { fetchedAt: now, fromCache: false, problem: null } };
    } catch (error) {
      const problem = forumError(error, session.site);
      if (!cached) throw problem;
      return { value: JSON.parse(cached.json) as T, meta: { fetchedAt: cached.fetched_at, fromCache: true, problem: problem.toJSON() } };
    }
  }

  private clearCache(): void {
    this.options.db.prepare('DELETE FROM forum_cache').run();
  }

  private emit(): void {
    this.options.onStatus(this.view());
  }
}
