// A Discourse-compatible forum for tests, on 127.0.0.1, following Discourse's published API
// for the calls Plenary makes (app/controllers/user_api_keys_controller.rb and the REST docs):
//   - User API keys: GET /user-api-key/new shows the authorisation page for the member the
//     browser is signed in as; POST /user-api-key checks auth_redirect against
//     allowed_user_api_auth_redirects (WildcardUrlChecker: scheme, port and host must match,
//     "*" in the path), creates the key and redirects to auth_redirect?payload=… where payload
//     is Base64.encode64 (60-character lines) of the RSA-encrypted (PKCS#1 v1.5, as Ruby's
//     public_encrypt) JSON {key, nonce, push, api}; POST /user-api-key/revoke;
//   - GET /site/basic-info.json, /categories.json, /c/{slug}/{id}.json (topics with the key
//     owner's unread state), /t/{id}.json, /t/{id}/posts.json?post_ids[]=…, /posts/{id}.json,
//     POST /topics/timings (marks read), POST /posts.json (reply or new topic);
//   - refusals as Discourse words them: 403 invalid_access for an unknown or revoked key, 429
//     rate_limit with Retry-After, 422 {action, errors} for a post that is too short, a title
//     too short or already used, or a body too similar to what the member just posted.
// Markdown is cooked with `marked`; everything is kept in memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createPublicKey, publicEncrypt, constants, randomBytes } from 'node:crypto';
import { marked } from 'marked';

export interface ForumUser {
  username: string;
  name: string;
}

export interface ForumPost {
  id: number;
  topicId: number;
  postNumber: number;
  username: string;
  raw: string;
  cooked: string;
  createdAt: string;
}

export interface ForumTopic {
  id: number;
  title: string;
  slug: string;
  categoryId: number;
  posts: ForumPost[];
  createdAt: string;
  bumpedAt: string;
}

export interface ForumCategory {
  id: number;
  name: string;
  slug: string;
  description: string;
}

interface UserApiKey {
  key: string;
  username: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface DiscourseTestServerOptions {
  /** allowed_user_api_auth_redirects, "|"-separated in Discourse; a list here. */
  allowedRedirects: string[];
  /** Who the browser is signed in as on the forum (the authorisation page acts for them). */
  browserUser?: string;
  /** min_post_length and min_first_post_length (Discourse: 20), min_topic_title_length (15). */
  minPostLength?: number;
  minTitleLength?: number;
}

const invalidAccess = {
  errors: ['You are not permitted to view the requested resource. The API username or key is invalid.'],
  error_type: 'invalid_access',
};

/** Discourse's WildcardUrlChecker.check_url (current version). */
export function wildcardUrlMatches(pattern: string, candidate: string): boolean {
  let want: URL;
  let have: URL;
  try {
    want = new URL(pattern.replace(/\*/g, 'WILDCARD'));
    have = new URL(candidate);
  } catch {
    return false;
  }
  const wildcard = (p: string, v: string, any: string) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/WILDCARD/g, any)}$`, 'i').test(v);
  const pathQuery = (u: URL) => decodeURIComponent(u.pathname) + (u.search || '');
  return (
    want.protocol === have.protocol &&
    want.port === have.port &&
    wildcard(want.hostname, have.hostname, '[A-Za-z0-9.-]*') &&
    wildcard(pathQuery(want), pathQuery(have), '.*')
  );
}

function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'topic'
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Rails reads JSON bodies and form bodies alike into params. */
async function readParams(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req);
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(json)) if (v !== undefined && v !== null) params.set(k, String(v));
    return params;
  }
  return new URLSearchParams(body);
}

export class DiscourseTestServer {
  readonly users = new Map<string, ForumUser>();
  readonly categories: ForumCategory[] = [];
  readonly topics = new Map<number, ForumTopic>();
  readonly keys: UserApiKey[] = [];
  /** Every request's method and path, in order (for asserting what Plenary asked). */
  readonly requests: string[] = [];
  /** Per user and topic: the highest post number read. */
  private readonly reads = new Map<string, number>();
  private nextTopicId = 100;
  private nextPostId = 1000;
  /** Answers the next matching requests with 429 and this Retry-After (seconds). */
  private rateLimits: { seconds: number; remaining: number; path: RegExp }[] = [];
  /** POST /posts.json: create the post, then hold the answer (a crash between request and answer). */
  holdPostAnswers = false;
  private readonly held: ServerResponse[] = [];
  browserUser: string;
  /** min_post_length (Discourse: 20); a test may raise it to see a post refused as too short. */
  minPostLength: number;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: DiscourseTestServerOptions,
  ) {
    this.browserUser = options.browserUser ?? 'ana';
    this.minPostLength = options.minPostLength ?? 20;
  }

  static async start(options: DiscourseTestServerOptions): Promise<DiscourseTestServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const forum = new DiscourseTestServer(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (req, res) => {
      forum.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [String(error)] }));
      });
    });
    forum.addUser({ username: 'ana', name: 'Ana' });
    forum.addUser({ username: 'bruno', name: 'Bruno' });
    return forum;
  }

  async stop(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(user: ForumUser): void {
    this.users.set(user.username, user);
  }

  addCategory(name: string, description = ''): ForumCategory {
    const category = { id: this.categories.length + 5, name, slug: slugify(name), description };
    this.categories.push(category);
    return category;
  }

  addTopic(categoryId: number, title: string, raw: string, username = 'bruno'): ForumTopic {
    const id = this.nextTopicId++;
    const now = new Date().toISOString();
    const topic: ForumTopic = { id, title, slug: slugify(title), categoryId, posts: [], createdAt: now, bumpedAt: now };
    this.topics.set(id, topic);
    this.addPost(id, raw, username);
    return topic;
  }

  addPost(topicId: number, raw: string, username = 'bruno', cooked?: string): ForumPost {
    const topic = this.topics.get(topicId)!;
    const post: ForumPost = {
      id: this.nextPostId++,
      topicId,
      postNumber: topic.posts.length + 1,
      username,
      raw,
      cooked: cooked ?? (marked.parse(raw, { async: false }) as string).trim(),
      createdAt: new Date().toISOString(),
    };
    topic.posts.push(post);
    topic.bumpedAt = post.createdAt;
    return post;
  }

  /** Every post whose raw text contains `text`. */
  postsContaining(text: string): ForumPost[] {
    return [...this.topics.values()].flatMap((t) => t.posts.filter((p) => p.raw.includes(text)));
  }

  /** The next `count` requests whose path matches get 429 with Retry-After. */
  rateLimit(seconds: number, count = 1, path = /./): void {
    this.rateLimits.push({ seconds, remaining: count, path });
  }

  /** Revokes every key of the member (as Discourse does after expire_user_api_keys_days unused). */
  expireKeys(username: string): void {
    for (const key of this.keys) if (key.username === username) key.revoked = true;
  }

  activeKeys(username: string): UserApiKey[] {
    return this.keys.filter((k) => k.username === username && !k.revoked);
  }

  /** Lets held POST /posts.json answers go (they were already created). */
  releaseHeld(): void {
    for (const res of this.held.splice(0)) res.destroy();
  }

  topicUrl(topic: ForumTopic): string {
    return `${this.url}/t/${topic.slug}/${topic.id}`;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }

  private keyOf(req: IncomingMessage): UserApiKey | null | 'invalid' {
    const header = req.headers['user-api-key'];
    if (typeof header !== 'string') return null;
    const key = this.keys.find((k) => k.key === header);
    return !key || key.revoked ? 'invalid' : key;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    this.requests.push(`${req.method} ${path}`);

    if (req.method === 'GET' && path === '/user-api-key/new') return this.authorisationPage(url, res);
    if (req.method === 'POST' && path === '/user-api-key') return this.createKey(await readParams(req), res);
    if (req.method === 'GET' && path === '/site/basic-info.json') return this.json(res, 200, { title: 'meet.coop forum', description: 'Test forum', logo_url: '', apple_touch_icon_url: '' });

    const key = this.keyOf(req);
    if (key === 'invalid') return this.json(res, 403, invalidAccess);
    const limit = this.rateLimits.find((l) => l.path.test(path));
    if (limit) {
      if (--limit.remaining <= 0) this.rateLimits.splice(this.rateLimits.indexOf(limit), 1);
      return this.json(
        res,
        429,
        {
          errors: [`You’ve performed this action too many times. Please wait ${limit.seconds} seconds before trying again.`],
          error_type: 'rate_limit',
          extras: { wait_seconds: limit.seconds, time_left: `${limit.seconds} seconds` },
        },
        { 'Retry-After': String(limit.seconds) },
      );
    }
    const user = key ? key.username : null;
    if (req.method === 'POST' && path === '/user-api-key/revoke') {
      if (!key) return this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
      key.revoked = true;
      return this.json(res, 200, { success: 'OK' });
    }
    if (req.method === 'GET' && path === '/session/current.json') {
      if (!user) return this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
      return this.json(res, 200, { current_user: { id: [...this.users.keys()].indexOf(user) + 1, username: user, name: this.users.get(user)?.name ?? user } });
    }
    if (req.method === 'GET' && path === '/categories.json') return this.json(res, 200, this.categoryList());
    let match = /^\/c\/([^/]+)\/(\d+)(?:\/l\/latest)?\.json$/.exec(path);
    if (req.method === 'GET' && match) return this.categoryTopics(Number(match[2]), user, res);
    match = /^\/t\/(\d+)\.json$/.exec(path);
    if (req.method === 'GET' && match) return this.topic(Number(match[1]), user, res);
    match = /^\/t\/(\d+)\/posts\.json$/.exec(path);
    if (req.method === 'GET' && match) return this.topicPosts(Number(match[1]), url.searchParams.getAll('post_ids[]').map(Number), res);
    match = /^\/posts\/(\d+)\.json$/.exec(path);
    if (req.method === 'GET' && match) {
      const post = [...this.topics.values()].flatMap((t) => t.posts).find((p) => p.id === Number(match![1]));
      return post ? this.json(res, 200, { ...this.postJson(post), raw: post.raw }) : this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
    }
    if (req.method === 'POST' && path === '/topics/timings') {
      if (!user) return this.json(res, 403, invalidAccess);
      const params = await readParams(req);
      const topicId = Number(params.get('topic_id'));
      const numbers = [...params.keys()].map((k) => /^timings\[(\d+)\]$/.exec(k)?.[1]).filter(Boolean).map(Number);
      const readKey = `${user}/${topicId}`;
      this.reads.set(readKey, Math.max(this.reads.get(readKey) ?? 0, ...numbers));
      return this.json(res, 200, {});
    }
    if (req.method === 'POST' && path === '/posts.json') {
      if (!user || !key || !key.scopes.includes('write')) return this.json(res, 403, invalidAccess);
      return this.createPost(user, await readParams(req), res);
    }
    this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
  }

  private authorisationPage(url: URL, res: ServerResponse): void {
    const params = url.searchParams;
    const missing = ['public_key', 'nonce', 'scopes', 'client_id', 'application_name'].filter((p) => !params.get(p));
    const html = (body: string, status = 200): void =>
      void res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>meet.coop forum</title></head><body><main>${body}</main></body></html>`);
    if (missing.length > 0) return html(`<h1>Bad request</h1><p>param is missing or the value is empty: ${escapeHtml(missing[0]!)}</p>`, 400);
    try {
      createPublicKey(params.get('public_key')!);
    } catch {
      return html('<h1>Bad request</h1><p>The public key could not be read.</p>', 400);
    }
    const fields = ['application_name', 'client_id', 'scopes', 'public_key', 'nonce', 'auth_redirect']
      .filter((name) => params.has(name))
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name)!)}">`)
      .join('');
    html(
      `<h1>${escapeHtml(params.get('application_name')!)} would like to access your account</h1>` +
        `<p>Signed in as ${escapeHtml(this.browserUser)}. It will be able to: ${escapeHtml(params.get('scopes')!)}</p>` +
        `<form method="post" action="/user-api-key">${fields}<button type="submit">Authorize</button></form>`,
    );
  }

  private createKey(params: URLSearchParams, res: ServerResponse): void {
    const redirect = params.get('auth_redirect');
    if (redirect !== null && !this.options.allowedRedirects.some((allowed) => wildcardUrlMatches(allowed, redirect))) {
      res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="en"><head><title>Forbidden</title></head><body><p>Sorry, you do not have access to that.</p></body></html>');
      return;
    }
    const clientId = params.get('client_id')!;
    const username = this.browserUser;
    // Discourse destroys the member's earlier keys for the same client id.
    for (const old of this.keys) if (old.username === username && old.clientId === clientId) old.revoked = true;
    const key: UserApiKey = { key: randomBytes(16).toString('hex'), username, clientId, scopes: params.get('scopes')!.split(','), revoked: false };
    this.keys.push(key);
    const payload = JSON.stringify({ key: key.key, nonce: params.get('nonce'), push: false, api: 4 });
    const encrypted = publicEncrypt({ key: params.get('public_key')!, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(payload));
    // Ruby's Base64.encode64: lines of 60 characters, each ending in a newline.
    const base64 = encrypted.toString('base64').replace(/.{1,60}/g, '$&\n');
    if (redirect === null) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><title>Key</title></head><body><pre>${escapeHtml(base64)}</pre></body></html>`);
      return;
    }
    const target = new URL(redirect);
    const query = [target.search.replace(/^\?/, ''), `payload=${encodeURIComponent(base64)}`].filter(Boolean).join('&');
    res.writeHead(302, { Location: `${redirect.replace(/[?#].*$/, '')}?${query}` }).end();
  }

  private categoryList() {
    return {
      category_list: {
        can_create_category: false,
        can_create_topic: true,
        categories: this.categories.map((c, position) => ({
          id: c.id,
          name: c.name,
          color: '0088CC',
          text_color: 'FFFFFF',
          slug: c.slug,
          topic_count: [...this.topics.values()].filter((t) => t.categoryId === c.id).length,
          post_count: [...this.topics.values()].filter((t) => t.categoryId === c.id).reduce((n, t) => n + t.posts.length, 0),
          position,
          description: c.description,
          description_text: c.description,
          topic_url: `/t/about-the-${c.slug}-category/${c.id}`,
          read_restricted: false,
          permission: 1,
          notification_level: 1,
        })),
      },
    };
  }

  private unreadState(topic: ForumTopic, user: string | null) {
    if (!user) return {};
    const read = this.reads.get(`${user}/${topic.id}`);
    const highest = topic.posts.length;
    return read === undefined
      ? { unseen: true, last_read_post_number: null, unread_posts: 0, new_posts: 0 }
      : { unseen: false, last_read_post_number: read, unread_posts: Math.max(0, highest - read), new_posts: Math.max(0, highest - read) };
  }

  private categoryTopics(categoryId: number, user: string | null, res: ServerResponse): void {
    if (!this.categories.some((c) => c.id === categoryId)) return this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
    const topics = [...this.topics.values()].filter((t) => t.categoryId === categoryId).sort((a, b) => (a.bumpedAt < b.bumpedAt ? 1 : a.bumpedAt > b.bumpedAt ? -1 : b.id - a.id));
    const names = [...new Set(topics.flatMap((t) => t.posts.map((p) => p.username)))];
    this.json(res, 200, {
      users: names.map((username, i) => ({ id: i + 1, username, name: this.users.get(username)?.name ?? username, avatar_template: `/letter_avatar_proxy/v4/letter/${username[0]}/aaaaaa/{size}.png` })),
      primary_groups: [],
      topic_list: {
        can_create_topic: true,
        per_page: 30,
        topics: topics.map((t) => ({
          id: t.id,
          title: t.title,
          fancy_title: escapeHtml(t.title),
          slug: t.slug,
          posts_count: t.posts.length,
          reply_count: t.posts.length - 1,
          highest_post_number: t.posts.length,
          created_at: t.createdAt,
          last_posted_at: t.bumpedAt,
          bumped: true,
          bumped_at: t.bumpedAt,
          archetype: 'regular',
          pinned: false,
          visible: true,
          closed: false,
          archived: false,
          views: 1,
          like_count: 0,
          last_poster_username: t.posts.at(-1)!.username,
          category_id: t.categoryId,
          posters: [],
          ...this.unreadState(t, user),
        })),
      },
    });
  }

  private postJson(post: ForumPost) {
    const topic = this.topics.get(post.topicId)!;
    return {
      id: post.id,
      name: this.users.get(post.username)?.name ?? post.username,
      username: post.username,
      avatar_template: `/letter_avatar_proxy/v4/letter/${post.username[0]}/aaaaaa/{size}.png`,
      created_at: post.createdAt,
      cooked: post.cooked,
      post_number: post.postNumber,
      post_type: 1,
      updated_at: post.createdAt,
      reply_count: 0,
      topic_id: post.topicId,
      topic_slug: topic.slug,
      yours: false,
    };
  }

  private topic(topicId: number, user: string | null, res: ServerResponse): void {
    const topic = this.topics.get(topicId);
    if (!topic) return this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
    this.json(res, 200, {
      post_stream: { posts: topic.posts.slice(0, 20).map((p) => this.postJson(p)), stream: topic.posts.map((p) => p.id) },
      id: topic.id,
      title: topic.title,
      fancy_title: escapeHtml(topic.title),
      posts_count: topic.posts.length,
      created_at: topic.createdAt,
      slug: topic.slug,
      category_id: topic.categoryId,
      highest_post_number: topic.posts.length,
      ...this.unreadState(topic, user),
      details: { can_create_post: true },
    });
  }

  private topicPosts(topicId: number, ids: number[], res: ServerResponse): void {
    const topic = this.topics.get(topicId);
    if (!topic) return this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
    this.json(res, 200, { post_stream: { posts: topic.posts.filter((p) => ids.includes(p.id)).map((p) => this.postJson(p)) }, id: topicId });
  }

  private createPost(username: string, params: URLSearchParams, res: ServerResponse): void {
    const raw = params.get('raw') ?? '';
    const topicId = params.get('topic_id');
    const title = params.get('title');
    const errors: string[] = [];
    const minPost = this.minPostLength;
    const minTitle = this.options.minTitleLength ?? 15;
    if (raw.trim().length < minPost) errors.push(`Body is too short (minimum is ${minPost} characters)`);
    if (topicId === null) {
      if ((title ?? '').trim().length < minTitle) errors.push(`Title is too short (minimum is ${minTitle} characters)`);
      else if ([...this.topics.values()].some((t) => t.title.toLowerCase() === title!.trim().toLowerCase())) errors.push('Title has already been used');
    } else if (!this.topics.has(Number(topicId))) {
      return this.json(res, 404, { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' });
    }
    // unique_posts_mins: the same member posting the same text again is refused.
    if (errors.length === 0 && [...this.topics.values()].some((t) => t.posts.some((p) => p.username === username && p.raw.trim() === raw.trim()))) {
      errors.push('Body is too similar to what you recently posted');
    }
    if (errors.length > 0) return this.json(res, 422, { action: 'create_post', errors });
    let post: ForumPost;
    if (topicId === null) {
      const category = Number(params.get('category'));
      const topic = this.addTopic(this.categories.some((c) => c.id === category) ? category : this.categories[0]!.id, title!.trim(), raw, username);
      post = topic.posts[0]!;
    } else {
      post = this.addPost(Number(topicId), raw, username);
    }
    if (this.holdPostAnswers) {
      this.held.push(res);
      return;
    }
    this.json(res, 200, this.postJson(post));
  }
}
