// Posts to the forum (results and minutes), sent once. Discourse has no idempotency key, so:
//   1. the post is written to forum_post_queue before anything is sent (it works offline and
//      survives a restart); its id is a deterministic marker that the post's text carries;
//   2. just before sending, the row becomes "sending" in its own transaction;
//   3. the forum's answer makes it "posted" (with the post's address) or "refused" (with the
//      forum's reasons). An answer that says the forum did not take it (429, 403, 422, 404)
//      leaves it safe to send again; anything else (no answer, a timeout, a crash, a 5xx)
//      leaves it "sending": it may be on the forum.
//   4. a "sending" row is never sent again blindly: the thread (or the category, for a new
//      topic) is read first, and a post carrying the marker is taken as the answer.
// So a crash between request and answer, or a retry, never posts twice.
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { PlenaryErrorData } from '../../../shared/errors';
import type { ForumPostTarget, ForumQueueEntry, QueueState } from '../../../shared/forum/types';
import type { PostPurpose, ThreadSubject } from '../../../shared/governance/link-operation-types';
import { newId } from '../../../shared/governance/ids';
import { threadSubjectOf } from './circle-links';
import { type ForumRequest } from './discourse-http';
import { forumError, forumProblem, notReceived } from './forum-errors';
import { threadSubjectKey } from '../store/link-fold';

/** The member's forum session as the queue needs it; null when signed out. */
export interface ForumSession {
  site: string;
  request<T>(request: Omit<ForumRequest, 'site' | 'key' | 'clientId'>): Promise<T>;
}

export interface PostedResult {
  postId: number;
  topicId: number;
  url: string;
}

interface QueueRow {
  id: string;
  site: string;
  circle: string;
  subject_kind: string;
  subject_id: string;
  purpose: PostPurpose;
  target_kind: 'reply' | 'topic';
  topic_id: number | null;
  category_id: number | null;
  category_slug: string | null;
  title: string;
  raw: string;
  state: QueueState;
  attempts: number;
  next_at: number | null;
  error_code: string | null;
  error_detail: string | null;
  post_id: number | null;
  posted_topic_id: number | null;
  url: string | null;
  created_at: number;
  updated_at: number;
}

interface DiscoursePost {
  id: number;
  post_number: number;
  topic_id: number;
  topic_slug: string;
  cooked?: string;
}

interface DiscourseTopic {
  id: number;
  slug: string;
  post_stream: { posts: DiscoursePost[]; stream?: number[] };
}

export interface PostQueueDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  session(): ForumSession | null;
  /** Records a post on the vote or assembly (governance operations); failures are logged, the post stays posted. */
  recordPosted(entry: ForumQueueEntry, result: PostedResult): void;
  /** The forum no longer accepts the key. */
  onKeyRejected(): void;
  onChange(circle: string): void;
}

export interface NewPost {
  site: string;
  circle: string;
  subject: ThreadSubject;
  purpose: PostPurpose;
  target: { kind: 'reply'; topicId: number } | { kind: 'topic'; categoryId: number; categorySlug: string; title: string };
  /** The Markdown, without the marker line (added here). */
  raw: string;
  /** The marker line's words; `{{ref}}` is the marker. */
  footer: (ref: string) => string;
}

/** Waits between tries while the forum cannot be reached: 30 s doubling up to 15 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 5)));
}

export function postMarker(id: string): string {
  return `plenary-${id.toLowerCase()}`;
}

export class ForumPostQueue {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private readonly deps: PostQueueDeps) {}

  enqueue(post: NewPost): ForumQueueEntry {
    const key = threadSubjectKey(post.subject);
    const existing = this.deps.db
      .prepare("SELECT id, state FROM forum_post_queue WHERE circle = ? AND subject_kind = ? AND subject_id = ? AND purpose = ? AND state != 'refused'")
      .get(post.circle, key.subject_kind, key.subject_id, post.purpose) as { id: string; state: QueueState } | undefined;
    if (existing) {
      throw forumProblem('conflict', 'forum_already_posted', `This ${post.purpose === 'result' ? 'result' : 'minutes'} is already ${existing.state === 'posted' ? 'on the forum' : 'waiting to be posted'}`, { state: existing.state });
    }
    const now = this.deps.clock.now();
    const id = newId(now);
    const raw = `${post.raw.trimEnd()}\n\n${post.footer(postMarker(id))}\n`;
    const t = post.target;
    this.deps.db
      .prepare(
        `INSERT INTO forum_post_queue (id, site, circle, subject_kind, subject_id, purpose, target_kind, topic_id, category_id, category_slug, title, raw, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(
        id,
        post.site,
        post.circle,
        key.subject_kind,
        key.subject_id,
        post.purpose,
        t.kind,
        t.kind === 'reply' ? t.topicId : null,
        t.kind === 'topic' ? t.categoryId : null,
        t.kind === 'topic' ? t.categorySlug : null,
        t.kind === 'topic' ? t.title : '',
        raw,
        now,
        now,
      );
    this.deps.onChange(post.circle);
    this.kick();
    return this.entry(id)!;
  }

  list(circle?: string): ForumQueueEntry[] {
    const rows = (circle === undefined
      ? this.deps.db.prepare('SELECT * FROM forum_post_queue ORDER BY created_at').all()
      : this.deps.db.prepare('SELECT * FROM forum_post_queue WHERE circle = ? ORDER BY created_at').all(circle)) as QueueRow[];
    return rows.map(toEntry);
  }

  entry(id: string): ForumQueueEntry | null {
    const row = this.row(id);
    return row ? toEntry(row) : null;
  }

  /** Sends a waiting or refused post now (a refused one exactly as it was: the forum decides again). */
  retry(id: string): ForumQueueEntry {
    const row = this.row(id);
    if (!row) throw forumProblem('not_found', 'forum_not_found', 'No post with this id is queued', {}, 'id');
    if (row.state !== 'posted') {
      this.update(id, { state: row.state === 'refused' ? 'queued' : row.state, next_at: null });
      this.kick();
    }
    return this.entry(id)!;
  }

  dismiss(id: string): void {
    const row = this.row(id);
    if (!row) throw forumProblem('not_found', 'forum_not_found', 'No post with this id is queued', {}, 'id');
    if (row.state !== 'refused') throw forumProblem('conflict', 'forum_already_posted', 'Only a post the forum refused can be dropped; this one may be on the forum', { state: row.state }, 'id');
    this.deps.db.prepare('DELETE FROM forum_post_queue WHERE id = ?').run(id);
    this.deps.onChange(row.circle);
  }

  /** Processes what is due, now or when the current run ends. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when nothing is being processed (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
  }

  private row(id: string): QueueRow | undefined {
    return this.deps.db.prepare('SELECT * FROM forum_post_queue WHERE id = ?').get(id) as QueueRow | undefined;
  }

  private update(id: string, change: Partial<QueueRow>): void {
    if (this.closed) return;
    const names = Object.keys(change);
    this.deps.db
      .prepare(`UPDATE forum_post_queue SET ${names.map((n) => `${n} = ?`).join(', ')}, updated_at = ? WHERE id = ?`)
      .run(...Object.values(change), this.deps.clock.now(), id);
    const row = this.row(id);
    if (row) this.deps.onChange(row.circle);
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const session = this.deps.session();
    if (!session) return;
    const now = this.deps.clock.now();
    const due = this.deps.db
      .prepare("SELECT * FROM forum_post_queue WHERE state IN ('queued', 'sending') AND (next_at IS NULL OR next_at <= ?) ORDER BY created_at")
      .all(now) as QueueRow[];
    for (const row of due) {
      if (this.closed) return;
      const stop = await this.process(row, session);
      if (stop) break;
    }
    this.schedule();
  }

  /** When the next waiting post is due, run again. */
  private schedule(): void {
    if (this.closed) return;
    const next = this.deps.db.prepare("SELECT min(next_at) AS at FROM forum_post_queue WHERE state IN ('queued', 'sending') AND next_at IS NOT NULL").get() as { at: number | null };
    if (next.at === null) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next.at - this.deps.clock.now()));
    this.timer.unref();
  }

  /** Returns true when the rest of the queue should wait too (offline, rate limited, key refused). */
  private async process(row: QueueRow, session: ForumSession): Promise<boolean> {
    if (row.site !== session.site) {
      this.update(row.id, {
        state: row.state === 'sending' ? 'sending' : 'refused',
        error_code: 'forum_error',
        error_detail: JSON.stringify(forumProblem('conflict', 'forum_error', `This post was written for ${row.site}, not ${session.site}`, { detail: row.site }).toJSON()),
      });
      return false;
    }
    try {
      if (row.state === 'sending') {
        const found = await this.find(row, session);
        if (found) {
          this.deps.log.info('a post sent before was found on the forum; not sending it again', { id: row.id, postId: found.postId });
          this.posted(row, found);
          return false;
        }
      }
    } catch (error) {
      return this.failed(row, error, false);
    }
    // Recorded before the request leaves: after this, a crash means "look before sending again".
    this.update(row.id, { state: 'sending', attempts: row.attempts + 1 });
    try {
      const body: Record<string, unknown> = row.target_kind === 'reply' ? { raw: row.raw, topic_id: row.topic_id } : { title: row.title, raw: row.raw, category: row.category_id };
      const post = await session.request<DiscoursePost>({ method: 'POST', path: '/posts.json', body, timeoutMs: 60_000, signal: this.abort.signal });
      this.posted(row, { postId: post.id, topicId: post.topic_id, url: `${session.site}/t/${post.topic_slug}/${post.topic_id}/${post.post_number}` });
      return false;
    } catch (error) {
      return this.failed({ ...row, state: 'sending', attempts: row.attempts + 1 }, error, notReceived(error));
    }
  }

  private failed(row: QueueRow, error: unknown, forumDidNotTakeIt: boolean): boolean {
    if (this.closed) return true;
    const problem = forumError(error, row.site);
    const reason = String(problem.params?.reason ?? 'forum_error');
    const detail = JSON.stringify(problem.toJSON());
    const now = this.deps.clock.now();
    this.deps.log.warn('a forum post did not go through', { id: row.id, reason, message: problem.message });
    if (!forumDidNotTakeIt) {
      // It may be on the forum: stays "sending", and is looked for before it is sent again.
      this.update(row.id, { state: row.state === 'sending' ? 'sending' : row.state, next_at: now + retryDelayMs(row.attempts), error_code: reason, error_detail: detail });
      return true;
    }
    if (reason === 'forum_rate_limited') {
      this.update(row.id, { state: 'queued', next_at: now + Number(problem.params?.seconds ?? 60) * 1000, error_code: reason, error_detail: detail });
      return true;
    }
    if (reason === 'forum_key_expired') {
      this.update(row.id, { state: 'queued', next_at: null, error_code: reason, error_detail: detail });
      this.deps.onKeyRejected();
      return true;
    }
    this.update(row.id, { state: 'refused', next_at: null, error_code: reason, error_detail: detail });
    return false;
  }

  private posted(row: QueueRow, result: PostedResult): void {
    if (this.closed) return;
    this.update(row.id, { state: 'posted', next_at: null, error_code: null, error_detail: null, post_id: result.postId, posted_topic_id: result.topicId, url: result.url });
    try {
      this.deps.recordPosted(this.entry(row.id)!, result);
    } catch (error) {
      this.deps.log.warn('the post is on the forum but could not be recorded on the vote or assembly', { id: row.id, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The post carrying this row's marker, if the forum has it. */
  private async find(row: QueueRow, session: ForumSession): Promise<PostedResult | null> {
    const marker = postMarker(row.id);
    const signal = this.abort.signal;
    const inTopic = async (topicId: number, firstOnly: boolean): Promise<PostedResult | null> => {
      const topic = await session.request<DiscourseTopic>({ method: 'GET', path: `/t/${topicId}.json`, signal });
      let posts = topic.post_stream.posts;
      const stream = topic.post_stream.stream ?? [];
      const shown = new Set(posts.map((p) => p.id));
      const recent = stream.slice(-20).filter((id) => !shown.has(id));
      if (!firstOnly && recent.length > 0) {
        const more = await session.request<{ post_stream: { posts: DiscoursePost[] } }>({
          method: 'GET',
          path: `/t/${topicId}/posts.json`,
          query: recent.map((id) => ['post_ids[]', String(id)] as [string, string]),
          signal,
        });
        posts = [...posts, ...more.post_stream.posts];
      }
      const hit = (firstOnly ? posts.slice(0, 1) : posts).find((p) => (p.cooked ?? '').includes(marker));
      return hit ? { postId: hit.id, topicId: topic.id, url: `${session.site}/t/${topic.slug}/${topic.id}/${hit.post_number}` } : null;
    };
    if (row.target_kind === 'reply') return inTopic(row.topic_id!, false);
    const list = await session.request<{ topic_list: { topics: { id: number; title: string }[] } }>({
      method: 'GET',
      path: `/c/${encodeURIComponent(row.category_slug ?? 'c')}/${row.category_id}.json`,
      signal,
    });
    for (const topic of list.topic_list.topics.filter((t) => t.title.trim().toLowerCase() === row.title.trim().toLowerCase())) {
      const found = await inTopic(topic.id, true);
      if (found) return found;
    }
    return null;
  }
}

function toEntry(row: QueueRow): ForumQueueEntry {
  let problem: PlenaryErrorData | null = null;
  if (row.error_detail) {
    try {
      problem = JSON.parse(row.error_detail) as PlenaryErrorData;
    } catch {
      problem = { code: 'internal', message: row.error_detail };
    }
  }
  const target: ForumPostTarget = row.target_kind === 'reply' ? { kind: 'reply', topicId: row.topic_id! } : { kind: 'topic', categoryId: row.category_id!, title: row.title };
  return {
    id: row.id,
    circle: row.circle,
    subject: threadSubjectOf(row.subject_kind, row.subject_id),
    purpose: row.purpose,
    target,
    state: row.state,
    attempts: row.attempts,
    nextAt: row.next_at,
    problem,
    url: row.url,
    createdAt: row.created_at,
  };
}
