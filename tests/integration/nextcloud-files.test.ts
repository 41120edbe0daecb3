// The member's NextCloud through the contract, against a real WebDAV server (WsgiDAV from
// PyPI) behind the NextCloud test front (Login Flow v2, OCS shares, app passwords): bad
// addresses, signing in through the browser flow, browsing, uploading with progress (all or
// nothing: a refused or broken upload leaves no file), a folder the member may not write to,
// a file over the server's limit, share links attached to a vote and an agenda item,
// minutes saved into a folder, offline, and signing out (the app password is revoked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { NextcloudTestServer } from '../servers/nextcloud-test-server';
import { TcpProxy } from '../helpers/tcp-proxy';
import { freePort } from '../helpers/free-port';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { secretNames } from '../../main/core/forum/integration-accounts';
import { newId } from '../../shared/governance/ids';
import type { CloudUploadProgress } from '../../shared/cloud/types';

let cloud: NextcloudTestServer;
let proxy: TcpProxy;
let c: TestCore;
const secrets = new MemorySecretStore();
let circleId: string;

async function failure(run: () => Promise<unknown>): Promise<{ code: string; field?: string; params?: Record<string, unknown>; message: string }> {
  try {
    await run();
  } catch (error) {
    return error as { code: string; params?: Record<string, unknown>; message: string };
  }
  throw new Error('expected the call to fail');
}

/** What the page does: hands the file to Plenary in chunks, then asks it to send it to NextCloud. */
async function upload(folder: string, name: string, bytes: Buffer) {
  const started = await c.call('cloud.uploadStart', { folder, name, sizeBytes: bytes.length });
  for (let index = 0, offset = 0; offset < bytes.length || (index === 0 && bytes.length === 0); index++, offset += started.chunkBytes) {
    await c.call('cloud.uploadChunk', { uploadId: started.uploadId, index, data: bytes.subarray(offset, offset + started.chunkBytes).toString('base64') });
    if (bytes.length === 0) break;
  }
  return { uploadId: started.uploadId, finish: () => c.call('cloud.uploadFinish', { uploadId: started.uploadId }) };
}

/** What the member does in the browser on NextCloud's login page: log in, grant access. */
async function grantInBrowser(loginUrl: string): Promise<void> {
  expect(await (await fetch(loginUrl)).text()).toContain('Connect to your account');
  expect(await (await fetch(loginUrl, { method: 'POST', body: new URLSearchParams({ step: 'login' }) })).text()).toContain('Grant access');
  expect(await (await fetch(loginUrl, { method: 'POST', body: new URLSearchParams({ step: 'grant' }) })).text()).toContain('Account connected');
}

const leftovers = (user: string, folder: string) => readdirSync(cloud.filePath(user, folder)).filter((name) => name.includes('.plenary-'));

beforeAll(async () => {
  cloud = await NextcloudTestServer.start({ maxUploadBytes: 1024 * 1024, readOnlyFolders: ['Archive'] });
  proxy = await TcpProxy.start(Number(new URL(cloud.url).port));
  c = startTestCore({ secrets, cloud: { pollIntervalMs: 100 } });
});

afterAll(async () => {
  c?.close();
  await proxy?.close();
  await cloud?.stop();
});

describe("the coop's files on NextCloud", () => {
  it('refuses bad addresses with a message naming the setting', async () => {
    expect(await failure(() => c.call('cloud.setAddress', { address: 'http://cloud.meet.coop' }))).toMatchObject({ code: 'invalid_input', field: 'address', params: { reason: 'cloud_address_invalid' } });
    expect(await failure(() => c.call('cloud.signIn', {}))).toMatchObject({ params: { reason: 'cloud_not_configured' } });
    await c.call('cloud.setAddress', { address: `http://127.0.0.1:${await freePort()}` });
    expect(await failure(() => c.call('cloud.signIn', {}))).toMatchObject({ code: 'offline', params: { reason: 'cloud_unreachable' } });
    await c.call('cloud.setAddress', { address: `${cloud.url}/nope` });
    expect(await failure(() => c.call('cloud.signIn', {}))).toMatchObject({ code: 'remote_error', params: { reason: 'not_nextcloud' } });
    expect(await failure(() => c.call('cloud.browse', { path: '/' }))).toMatchObject({ params: { reason: 'cloud_signed_out' } });
  });

  it('signs in with Login Flow v2 through the browser; the app password stays in main', async () => {
    await c.call('cloud.setAddress', { address: proxy.url });
    const started = await c.call('cloud.signIn', {});
    expect(started).toMatchObject({ openedExternally: false, url: expect.stringContaining(`${proxy.url}/index.php/login/v2/flow/`) });
    expect((await c.call('cloud.status', {})).pending?.url).toBe(started.url);
    await grantInBrowser(started.url);
    await expect.poll(async () => (await c.call('cloud.status', {})).account?.loginName, { timeout: 10_000 }).toBe('ana');
    const password = secrets.get(secretNames.nextcloudPassword)!;
    expect(cloud.appPasswords.get(password)).toBe('ana');
    expect((await c.call('cloud.status', {})).pending).toBeNull();
  });

  it('browses folders over WebDAV', async () => {
    const home = await c.call('cloud.browse', { path: '/' });
    expect(home.entries.map((e) => [e.name, e.kind])).toEqual([
      ['Archive', 'folder'],
      ['Documents', 'folder'],
    ]);
    expect(await failure(() => c.call('cloud.browse', { path: '/Nowhere' }))).toMatchObject({ code: 'not_found', params: { reason: 'cloud_not_found' } });
  });

  it('uploads with progress, all or nothing, and never replaces a file of the same name', async () => {
    const bytes = Buffer.alloc(700 * 1024, 7);
    const progress: CloudUploadProgress[] = [];
    const seen = c.events.length;
    const first = await upload('/Documents', 'budget 2027.ods', bytes);
    const entry = await first.finish();
    expect(entry).toMatchObject({ name: 'budget 2027.ods', path: '/Documents/budget 2027.ods', kind: 'file', sizeBytes: bytes.length });
    for (const event of c.events.slice(seen)) if (event.name === 'cloud.upload') progress.push(event.payload as CloudUploadProgress);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ uploadId: first.uploadId, sent: bytes.length, total: bytes.length });
    expect(progress.map((p) => p.sent)).toEqual([...progress.map((p) => p.sent)].sort((a, b) => a - b));
    expect(readFileSync(cloud.filePath('ana', 'Documents/budget 2027.ods'))).toEqual(bytes);

    const again = await (await upload('/Documents', 'budget 2027.ods', Buffer.from('second version'))).finish();
    expect(again.name).toBe('budget 2027 (2).ods');
    expect(cloud.fileSize('ana', 'Documents/budget 2027.ods')).toBe(bytes.length);
    expect(leftovers('ana', 'Documents')).toEqual([]);
  });

  it("says when a file is over the server's limit, the folder is read-only or the upload broke, leaving nothing behind", async () => {
    const big = await upload('/Documents', 'recording.webm', Buffer.alloc(1024 * 1024 + 10, 1));
    expect(await failure(big.finish)).toMatchObject({ code: 'invalid_input', params: { reason: 'cloud_too_large' } });
    expect(cloud.fileExists('ana', 'Documents/recording.webm')).toBe(false);

    const readOnly = await upload('/Archive', 'notes.txt', Buffer.from('notes'));
    expect(await failure(readOnly.finish)).toMatchObject({ code: 'forbidden', params: { reason: 'cloud_read_only', path: '/Archive' } });
    expect(readdirSync(cloud.filePath('ana', 'Archive'))).toEqual([]);

    cloud.breakNextUploadAfter = 64 * 1024;
    const broken = await upload('/Documents', 'broken.bin', Buffer.alloc(900 * 1024, 3));
    expect((await failure(broken.finish)).params?.reason).toBe('cloud_unreachable');
    expect(cloud.fileExists('ana', 'Documents/broken.bin')).toBe(false);
    expect(leftovers('ana', 'Documents')).toEqual([]);

    expect(await failure(() => c.call('cloud.uploadStart', { folder: '/Documents', name: '../escape', sizeBytes: 1 }))).toMatchObject({ params: { reason: 'cloud_bad_name' } });
  });

  it('attaches files to a vote and an agenda item as share links every member can open', async () => {
    const circle = await c.call('governance.createCircle', { name: 'Tech ops', purpose: '', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' });
    circleId = circle.id;
    const voteId = newId(Date.now());
    await c.call('governance.apply', { type: 'vote.create', circle: circleId, payload: { voteId, question: 'Adopt the budget?', details: '', method: 'consent', options: [], quorumPercent: 0 } });
    const attached = await c.call('cloud.attach', { circleId, subject: { kind: 'vote', voteId }, path: '/Documents/budget 2027.ods' });
    expect(attached).toMatchObject({ subject: { kind: 'vote', voteId }, name: 'budget 2027.ods', sizeBytes: 700 * 1024, url: expect.stringMatching(new RegExp(`^${proxy.url}/s/[0-9a-f]+$`)) });
    const download = await fetch(`${attached.url}/download`);
    expect(Buffer.from(await download.arrayBuffer()).length).toBe(700 * 1024);

    const assemblyId = newId(Date.now());
    const itemId = newId(Date.now());
    await c.call('governance.apply', { type: 'assembly.create', circle: circleId, payload: { assemblyId, title: 'December all-hands' } });
    await c.call('governance.apply', { type: 'assembly.agenda.set', circle: circleId, payload: { assemblyId, itemId, title: 'Budget', position: 0 } });
    await c.call('cloud.attach', { circleId, subject: { kind: 'agenda', assemblyId, itemId }, path: '/Documents/budget 2027 (2).ods' });
    const links = await c.call('forum.links', { circleId });
    expect(links.attachments.map((a) => [a.subject.kind, a.name])).toEqual([
      ['vote', 'budget 2027.ods'],
      ['agenda', 'budget 2027 (2).ods'],
    ]);
    // The attachment is an operation: it syncs to every member like the vote itself.
    expect(c.core.services.governance.opsSince(0, 1000).filter((s) => s.op.type === 'attachment.add')).toHaveLength(2);
    expect(await failure(() => c.call('cloud.attach', { circleId, subject: { kind: 'vote', voteId }, path: '/Documents/missing.pdf' }))).toMatchObject({ params: { reason: 'cloud_not_found' } });

    // Minutes saved into a chosen folder in one call; a second save does not overwrite the first.
    await c.call('governance.apply', { type: 'assembly.open', circle: circleId, payload: { assemblyId } });
    await c.call('governance.apply', { type: 'assembly.minutes.set', circle: circleId, payload: { assemblyId, itemId, markdown: 'We agreed the budget.' } });
    const saved = await c.call('cloud.saveMinutes', { circleId, assemblyId, folder: '/Documents', locale: 'en' });
    expect(saved.name).toMatch(/^minutes-.*december-all-hands\.md$/);
    expect(readFileSync(cloud.filePath('ana', `Documents/${saved.name}`), 'utf8')).toContain('We agreed the budget.');
    const second = await c.call('cloud.saveMinutes', { circleId, assemblyId, folder: '/Documents', locale: 'en' });
    expect(second.name).not.toBe(saved.name);
    expect(await failure(() => c.call('cloud.saveMinutes', { circleId, assemblyId, folder: '/Archive', locale: 'en' }))).toMatchObject({ params: { reason: 'cloud_read_only' } });
  });

  it('says clearly that files need the network when NextCloud cannot be reached', async () => {
    proxy.drop();
    expect(await failure(() => c.call('cloud.browse', { path: '/Documents' }))).toMatchObject({ code: 'offline', params: { reason: 'cloud_unreachable' } });
    // Attachments already made stay visible: they are governance data.
    expect((await c.call('forum.links', { circleId })).attachments).toHaveLength(2);
    proxy.pass();
    expect((await c.call('cloud.browse', { path: '/Documents' })).entries.length).toBeGreaterThan(0);
  });

  it('signs out, revoking the app password; it never appeared in a result, event or log line', async () => {
    const password = secrets.get(secretNames.nextcloudPassword)!;
    const result = await c.call('cloud.signOut', {});
    expect(result).toMatchObject({ revokedOnServer: true, status: { account: null } });
    expect(cloud.appPasswords.has(password)).toBe(false);
    expect(secrets.get(secretNames.nextcloudPassword)).toBeUndefined();
    expect(JSON.stringify({ events: c.events, logs: c.logs })).not.toContain(password);
  });
});
