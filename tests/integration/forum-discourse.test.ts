// The coop's forum through the contract, against the Discourse-compatible test server
// (tests/servers/discourse-test-server.ts, a real RSA key exchange): signing in with a User
// API key through the loopback redirect, bad addresses, a circle's category and topics with
// unread state, a topic read with its HTML sanitised, reading offline and under a 429, an
// expired key, posting a result in a thread and minutes as a new topic (once, even with a
// crash between request and answer), refusals, and revoking. The key never leaves main.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { DiscourseTestServer, type ForumCategory, type ForumTopic } from '../servers/discourse-test-server';
import { TcpProxy } from '../helpers/tcp-proxy';
import { freePort } from '../helpers/free-port';
import { approveKeyRequest } from '../helpers/forum-browser';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { secretNames } from '../../main/core/forum/integration-accounts';
import { postMarker } from '../../main/core/forum/post-queue';
import { newId } from '../../shared/governance/ids';
import type { ForumQueueEntry } from '../../shared/forum/types';

let forum: DiscourseTestServer;
let proxy: TcpProxy;
let redirectPort: number;
let c: TestCore;
const secrets = new MemorySecretStore();
let dataDir: string;
let category: ForumCategory;
let budget: ForumTopic;
let circleId: string;
let voteId: string;
let assemblyId: string;
const keysSeen = new Set<string>();
const everything: unknown[] = [];

async function failure(run: () => Promise<unknown>): Promise<{ code: string; field?: string; params?: Record<string, unknown>; message: string }> {
  try {
    await run();
  } catch (error) {
    return error as { code: string; params?: Record<string, unknown>; message: string };
  }
  throw new Error('expected the call to fail');
}

function startCore(): TestCore {
  const core = startTestCore({ secrets, forum: { redirectPort }, ...(dataDir ? { dataDir } : {}) });
  dataDir = core.dataDir;
  everything.push(core.events, core.logs);
  return core;
}

async function waitForEntry(id: string, state: ForumQueueEntry['state']): Promise<ForumQueueEntry> {
  let entry: ForumQueueEntry | undefined;
  await expect
    .poll(async () => {
      entry = (await c.call('forum.queue', {})).find((e) => e.id === id);
      return entry?.state;
    }, { timeout: 15_000 })
    .toBe(state);
  return entry!;
}

beforeAll(async () => {
  redirectPort = await freePort();
  forum = await DiscourseTestServer.start({ allowedRedirects: [`http://127.0.0.1:${redirectPort}/discourse-auth`, 'plenary://discourse-auth'] });
  proxy = await TcpProxy.start(Number(new URL(forum.url).port));
  category = forum.addCategory('Tech ops', 'Servers and meetings');
  forum.addCategory('Care', 'Looking after each other');
  budget = forum.addTopic(category.id, 'Budget 2027 for the servers', 'We need to decide the **server budget** before December.');
  forum.addPost(
    budget.id,
    'raw',
    'ana',
    '<p>Agree with <a class="mention" href="/u/bruno">@bruno</a>, see <a href="/t/budget/100">the topic</a>.</p><img src="https://evil.example/x.png"><script>alert(1)</script><p onclick="steal()">Thanks!</p>',
  );
  forum.addTopic(category.id, 'Migration to the new BBB cluster', 'Plan for moving rooms to the new cluster next month.');
  c = startCore();
});

afterAll(async () => {
  c?.close();
  await proxy?.close();
  await forum?.stop();
});

describe("the coop's forum", () => {
  it('refuses bad forum addresses with a message naming the setting', async () => {
    const insecure = await failure(() => c.call('forum.setAddress', { address: 'http://forum.meet.coop' }));
    expect(insecure).toMatchObject({ code: 'invalid_input', field: 'address', params: { reason: 'forum_address_invalid' } });
    expect(insecure.message).toContain('must start with https://');

    const noAddress = await failure(() => c.call('forum.signIn', {}));
    expect(noAddress).toMatchObject({ code: 'invalid_input', params: { reason: 'forum_not_configured' } });

    await c.call('forum.setAddress', { address: `http://127.0.0.1:${await freePort()}` });
    expect(await failure(() => c.call('forum.signIn', {}))).toMatchObject({ code: 'offline', params: { reason: 'forum_unreachable' } });

    // Something answers there, but not a forum (the loopback redirect listener is not up; use the proxy's target's 404 page).
    await c.call('forum.setAddress', { address: `${forum.url}/not-here` });
    expect(await failure(() => c.call('forum.signIn', {}))).toMatchObject({ code: 'remote_error', params: { reason: 'not_discourse' } });
  });

  it('signs in with a User API key through the forum and the loopback redirect; the key stays in main', async () => {
    const status = await c.call('forum.setAddress', { address: proxy.url });
    expect(status).toMatchObject({ address: proxy.url, memberAddress: proxy.url, account: null });
    const started = await c.call('forum.signIn', {});
    expect(started.openedExternally).toBe(false);
    expect(started.url).toContain(`${proxy.url}/user-api-key/new?`);
    const params = new URL(started.url).searchParams;
    expect(params.get('scopes')).toBe('read,write');
    expect(params.get('auth_redirect')).toBe(`http://127.0.0.1:${redirectPort}/discourse-auth`);
    expect(params.get('public_key')).toContain('BEGIN PUBLIC KEY');
    expect((await c.call('forum.status', {})).pending?.url).toBe(started.url);

    const approved = await approveKeyRequest(started.url);
    expect(approved.status).toBe(302);
    expect(approved.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${redirectPort}/discourse-auth\\?payload=`));
    const landing = await fetch(approved.location!);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in to the forum');

    await expect.poll(async () => (await c.call('forum.status', {})).account?.username, { timeout: 10_000 }).toBe('ana');
    const key = secrets.get(secretNames.discourseKey)!;
    expect(forum.activeKeys('ana').map((k) => k.key)).toEqual([key]);
    keysSeen.add(key);
    expect(secrets.get(secretNames.discoursePending)).toBeUndefined();
    expect((await c.call('forum.status', {})).pending).toBeNull();
  });

  it('refuses an answer that does not belong to the sign-in it started', async () => {
    expect(await failure(() => c.core.services.forum.completeSignIn('AAAA'))).toMatchObject({ params: { reason: 'forum_no_sign_in' } });
  });

  it("lists the circle's category topics with unread state and reads a topic, sanitised, marking it read", async () => {
    const circle = await c.call('governance.createCircle', { name: 'Tech ops', purpose: '', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' });
    circleId = circle.id;
    expect(await c.call('forum.topics', { circleId })).toMatchObject({ category: null, topics: [] });

    const categories = await c.call('forum.categories', {});
    expect(categories.categories.map((x) => x.name)).toEqual(['Tech ops', 'Care']);
    const chosen = categories.categories[0]!;
    await c.call('governance.apply', { type: 'circle.forum.set', circle: circleId, payload: { category: { id: chosen.id, slug: chosen.slug, name: chosen.name } } });
    expect((await c.call('forum.links', { circleId })).category).toEqual({ id: category.id, slug: 'tech-ops', name: 'Tech ops' });

    const list = await c.call('forum.topics', { circleId });
    expect(list).toMatchObject({ fromCache: false, problem: null });
    expect(list.topics.map((t) => [t.title, t.unseen, t.postsCount])).toEqual([
      ['Migration to the new BBB cluster', true, 1],
      ['Budget 2027 for the servers', true, 2],
    ]);

    const topic = await c.call('forum.topic', { topicId: budget.id });
    expect(topic.title).toBe('Budget 2027 for the servers');
    expect(topic.url).toBe(`${proxy.url}/t/budget-2027-for-the-servers/${budget.id}`);
    expect(topic.posts[0]!.html).toContain('<strong>server budget</strong>');
    const reply = topic.posts[1]!.html!;
    expect(reply).toContain(`href="${proxy.url}/u/bruno"`);
    expect(reply).toContain(`href="${proxy.url}/t/budget/100"`);
    expect(reply).not.toMatch(/<img|<script|alert|onclick/);
    expect(reply).toContain('Thanks!');

    const after = await c.call('forum.topics', { circleId });
    expect(after.topics.find((t) => t.id === budget.id)).toMatchObject({ unseen: false, unreadPosts: 0 });
    forum.addPost(budget.id, 'A new reply that Ana has not read yet.', 'bruno');
    expect((await c.call('forum.topics', { circleId })).topics.find((t) => t.id === budget.id)).toMatchObject({ unseen: false, unreadPosts: 1 });
  });

  it('shows what was read before when offline or rate limited, and says why', async () => {
    proxy.drop();
    const offline = await c.call('forum.topics', { circleId });
    expect(offline).toMatchObject({ fromCache: true, problem: { code: 'offline', params: { reason: 'forum_unreachable' } } });
    expect(offline.topics).toHaveLength(2);
    expect((await c.call('forum.topic', { topicId: budget.id })).fromCache).toBe(true);
    proxy.pass();

    forum.rateLimit(7, 1, /^\/c\//);
    const limited = await c.call('forum.topics', { circleId });
    expect(limited).toMatchObject({ fromCache: true, problem: { code: 'rate_limited', params: { reason: 'forum_rate_limited', seconds: 7 } } });
    expect((await c.call('forum.topics', { circleId })).fromCache).toBe(false);
  });

  it('links a vote to its thread and posts its result there once', async () => {
    voteId = newId(Date.now());
    await c.call('governance.apply', {
      type: 'vote.create',
      circle: circleId,
      payload: { voteId, question: 'Adopt the 2027 server budget?', details: '', method: 'consent', options: [], quorumPercent: 0 },
    });
    const wrong = await failure(() => c.call('forum.resolveThread', { url: 'https://elsewhere.example/t/x/1' }));
    expect(wrong).toMatchObject({ code: 'invalid_input', params: { reason: 'forum_not_a_topic_link' } });
    const thread = await c.call('forum.resolveThread', { url: `${proxy.url}/t/budget-2027-for-the-servers/${budget.id}/2` });
    expect(thread).toEqual({ topicId: budget.id, url: `${proxy.url}/t/budget-2027-for-the-servers/${budget.id}`, title: 'Budget 2027 for the servers' });
    await c.call('governance.apply', { type: 'forum.thread.set', circle: circleId, payload: { subject: { kind: 'vote', voteId }, thread } });

    const open = await failure(() => c.call('forum.post', { circleId, subject: { kind: 'vote', voteId }, purpose: 'result', target: 'reply', locale: 'en' }));
    expect(open).toMatchObject({ params: { reason: 'vote_open' } });
    await c.call('governance.apply', { type: 'vote.ballot', circle: circleId, payload: { voteId, voter: c.core.services.localActor, choice: 'agree' } });
    await c.call('governance.apply', { type: 'vote.close', circle: circleId, payload: { voteId } });

    const preview = await c.call('forum.preview', { circleId, subject: { kind: 'vote', voteId }, purpose: 'result', locale: 'en' });
    expect(preview.title).toBe('Result: Adopt the 2027 server budget?');
    expect(preview.raw).toContain('# Adopt the 2027 server budget?');

    const entry = await c.call('forum.post', { circleId, subject: { kind: 'vote', voteId }, purpose: 'result', target: 'reply', locale: 'en' });
    const posted = await waitForEntry(entry.id, 'posted');
    const onForum = forum.postsContaining(postMarker(entry.id));
    expect(onForum).toHaveLength(1);
    expect(onForum[0]!.topicId).toBe(budget.id);
    expect(onForum[0]!.raw).toContain('Posted from Plenary');
    expect(posted.url).toBe(`${proxy.url}/t/budget-2027-for-the-servers/${budget.id}/${onForum[0]!.postNumber}`);
    const links = await c.call('forum.links', { circleId });
    expect(links.posts).toEqual([{ subject: { kind: 'vote', voteId }, postId: onForum[0]!.id, topicId: budget.id, url: posted.url, purpose: 'result', postedBy: c.core.services.localActor }]);

    // Asking again is refused: it is never posted twice.
    expect(await failure(() => c.call('forum.post', { circleId, subject: { kind: 'vote', voteId }, purpose: 'result', target: 'reply', locale: 'en' }))).toMatchObject({
      code: 'conflict',
      params: { reason: 'forum_already_posted' },
    });
  });

  it('posts minutes as a new topic exactly once across a crash between request and answer', async () => {
    assemblyId = newId(Date.now());
    await c.call('governance.apply', { type: 'assembly.create', circle: circleId, payload: { assemblyId, title: 'December all-hands meeting' } });
    await c.call('governance.apply', { type: 'assembly.open', circle: circleId, payload: { assemblyId } });
    await c.call('governance.apply', { type: 'assembly.close', circle: circleId, payload: { assemblyId } });

    forum.holdPostAnswers = true;
    const entry = await c.call('forum.post', { circleId, subject: { kind: 'assembly', assemblyId }, purpose: 'minutes', target: 'topic', locale: 'en' });
    const marker = postMarker(entry.id);
    await expect.poll(() => forum.postsContaining(marker).length, { timeout: 10_000 }).toBe(1);
    expect((await c.call('forum.queue', {})).find((e) => e.id === entry.id)?.state).toBe('sending');
    // The crash: Plenary stops while the forum's answer is still on its way.
    c.close({ keepData: true });
    forum.releaseHeld();
    forum.holdPostAnswers = false;
    const postsBefore = forum.requests.filter((r) => r === 'POST /posts.json').length;

    c = startCore();
    const posted = await waitForEntry(entry.id, 'posted');
    expect(forum.postsContaining(marker)).toHaveLength(1);
    expect(forum.requests.filter((r) => r === 'POST /posts.json').length).toBe(postsBefore);
    const topic = [...forum.topics.values()].find((t) => t.title === 'Minutes: December all-hands meeting')!;
    expect(posted.url).toBe(`${proxy.url}/t/${topic.slug}/${topic.id}/1`);
    const links = await c.call('forum.links', { circleId });
    // The new topic became the assembly's thread.
    expect(links.threads).toContainEqual({ subject: { kind: 'assembly', assemblyId }, thread: { topicId: topic.id, url: `${proxy.url}/t/${topic.slug}/${topic.id}`, title: 'Minutes: December all-hands meeting' } });
    expect(links.posts.filter((p) => p.purpose === 'minutes')).toHaveLength(1);
  });

  it('queues a post while offline and sends it once the forum answers; refusals keep the forum\'s words', async () => {
    const second = newId(Date.now());
    await c.call('governance.apply', { type: 'vote.create', circle: circleId, payload: { voteId: second, question: 'Budget 2027 for the servers', details: '', method: 'consent', options: [], quorumPercent: 0 } });
    await c.call('governance.apply', { type: 'vote.close', circle: circleId, payload: { voteId: second } });
    // The title "Result: …" is new, but make the forum refuse it first: as a topic whose title exists.
    forum.addTopic(category.id, 'Result: Budget 2027 for the servers', 'Someone posted this result by hand already.');
    const refused = await c.call('forum.post', { circleId, subject: { kind: 'vote', voteId: second }, purpose: 'result', target: 'topic', locale: 'en' });
    const entry = await waitForEntry(refused.id, 'refused');
    expect(entry.problem).toMatchObject({ code: 'invalid_input', params: { reason: 'forum_refused', detail: 'Title has already been used' } });
    expect(forum.postsContaining(postMarker(refused.id))).toHaveLength(0);
    await c.call('forum.dismiss', { id: refused.id });

    // Too short for this forum: refused in the forum's words; once the forum allows it, Try again posts it once.
    const fourth = newId(Date.now());
    await c.call('governance.apply', { type: 'vote.create', circle: circleId, payload: { voteId: fourth, question: 'Rotate the on-call roster?', details: '', method: 'consent', options: [], quorumPercent: 0 } });
    await c.call('governance.apply', { type: 'vote.close', circle: circleId, payload: { voteId: fourth } });
    forum.minPostLength = 100_000;
    const short = await c.call('forum.post', { circleId, subject: { kind: 'vote', voteId: fourth }, purpose: 'result', target: 'topic', locale: 'en' });
    expect((await waitForEntry(short.id, 'refused')).problem).toMatchObject({ params: { reason: 'forum_refused', detail: 'Body is too short (minimum is 100000 characters)' } });
    forum.minPostLength = 20;
    await c.call('forum.retry', { id: short.id });
    await waitForEntry(short.id, 'posted');
    expect(forum.postsContaining(postMarker(short.id))).toHaveLength(1);

    // Offline: queued, tried, still waiting; back online it goes out once.
    const third = newId(Date.now());
    await c.call('governance.apply', { type: 'vote.create', circle: circleId, payload: { voteId: third, question: 'Move the all-hands to Tuesdays?', details: '', method: 'consent', options: [], quorumPercent: 0 } });
    await c.call('governance.apply', { type: 'vote.close', circle: circleId, payload: { voteId: third } });
    proxy.drop();
    const waiting = await c.call('forum.post', { circleId, subject: { kind: 'vote', voteId: third }, purpose: 'result', target: 'topic', locale: 'en' });
    await expect.poll(async () => (await c.call('forum.queue', {})).find((e) => e.id === waiting.id)?.problem?.params?.reason, { timeout: 10_000 }).toBe('forum_unreachable');
    const stillWaiting = (await c.call('forum.queue', {})).find((e) => e.id === waiting.id)!;
    expect(stillWaiting.nextAt).not.toBeNull();
    proxy.pass();
    await c.call('forum.retry', { id: waiting.id });
    await waitForEntry(waiting.id, 'posted');
    expect(forum.postsContaining(postMarker(waiting.id))).toHaveLength(1);
  });

  it('says when the forum no longer accepts the key, and revokes it on sign-out', async () => {
    forum.expireKeys('ana');
    const expired = await c.call('forum.topics', { circleId });
    expect(expired).toMatchObject({ fromCache: true, problem: { code: 'forbidden', params: { reason: 'forum_key_expired' } } });
    expect((await c.call('forum.status', {})).expired).toBe(true);
    expect(await failure(() => c.call('forum.resolveThread', { url: `${proxy.url}/t/x/${budget.id}` }))).toMatchObject({ params: { reason: 'forum_key_expired' } });

    // Sign in again, then revoke: the key is revoked on the forum and forgotten here.
    const started = await c.call('forum.signIn', {});
    const approved = await approveKeyRequest(started.url);
    await fetch(approved.location!);
    await expect.poll(async () => (await c.call('forum.status', {})).expired, { timeout: 10_000 }).toBe(false);
    const key = secrets.get(secretNames.discourseKey)!;
    keysSeen.add(key);
    const revoked = await c.call('forum.revoke', {});
    expect(revoked).toMatchObject({ revokedOnForum: true, status: { account: null } });
    expect(forum.activeKeys('ana')).toEqual([]);
    expect(secrets.get(secretNames.discourseKey)).toBeUndefined();
    expect(await failure(() => c.call('forum.topics', { circleId }))).toMatchObject({ params: { reason: 'forum_signed_out' } });
  });

  it('never lets the key out of main: no result, event or log line carries it', () => {
    const text = JSON.stringify(everything);
    expect(keysSeen.size).toBe(2);
    for (const key of keysSeen) expect(text).not.toContain(key);
  });
});
