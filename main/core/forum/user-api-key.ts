// Discourse's User API key flow for apps (meta.discourse.org topic 48536, and
// UserApiKeysController#create): the app makes an RSA key pair and a nonce, opens
// /user-api-key/new in the browser, and after the member approves Discourse redirects to
// auth_redirect with `payload`: Base64 (with line breaks) of the JSON {key, nonce, push, api}
// encrypted with the public key using PKCS#1 v1.5 padding (Ruby's public_encrypt default).
import { constants, generateKeyPair, privateDecrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { forumUrl } from './discourse-http';

/** What Plenary asks for: reading categories and topics, and posting results and minutes. */
export const forumScopes = 'read,write';
export const applicationName = 'Plenary';

export interface PendingKeyRequest {
  site: string;
  redirect: string;
  privateKeyPem: string;
  nonce: string;
  clientId: string;
  startedAt: number;
}

export async function newKeyRequest(site: string, redirect: string, clientId: string, now: number): Promise<{ pending: PendingKeyRequest; url: string }> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const nonce = randomBytes(16).toString('hex');
  const url = forumUrl(site, '/user-api-key/new', [
    ['application_name', applicationName],
    ['client_id', clientId],
    ['scopes', forumScopes],
    ['public_key', publicKey],
    ['nonce', nonce],
    ['auth_redirect', redirect],
  ]);
  return { pending: { site, redirect, privateKeyPem: privateKey, nonce, clientId, startedAt: now }, url };
}

export type PayloadProblem = 'unreadable' | 'wrong_nonce';

/** The key from a payload, or why it cannot be used. */
export function openPayload(payload: string, pending: PendingKeyRequest): { ok: true; key: string } | { ok: false; problem: PayloadProblem } {
  let json: unknown;
  try {
    const encrypted = Buffer.from(payload.replace(/\s+/g, ''), 'base64');
    const plain = privateDecrypt({ key: pending.privateKeyPem, padding: constants.RSA_PKCS1_PADDING }, encrypted);
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  const record = typeof json === 'object' && json !== null ? (json as { key?: unknown; nonce?: unknown }) : {};
  if (typeof record.key !== 'string' || record.key.length < 8) return { ok: false, problem: 'unreadable' };
  if (record.nonce !== pending.nonce) return { ok: false, problem: 'wrong_nonce' };
  return { ok: true, key: record.key };
}
