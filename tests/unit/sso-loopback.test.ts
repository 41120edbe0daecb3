// The SSO loopback listener: it answers only on its secret callback path, hands over the
// loginToken once, shows a page in the member's language, and gives up after its timeout.
import { describe, expect, it } from 'vitest';
import { SsoCancelledError, callbackPageHtml, startLoopbackListener } from '../../main/core/matrix/sso-loopback';

const page = (outcome: 'done' | 'failed') => ({ lang: 'fr', title: outcome === 'done' ? 'Connecté·e' : 'Échec', message: 'Fermez <cet> onglet' });

describe('SSO loopback listener', () => {
  it('receives the loginToken on its nonce path only and closes afterwards', async () => {
    const listener = await startLoopbackListener({ timeoutMs: 10_000, page });
    const url = new URL(listener.redirectUrl);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toMatch(/^\/sso-callback\/[A-Za-z0-9_-]{20,}$/);

    const wrong = await fetch(`${url.origin}/sso-callback/guessed?loginToken=evil`);
    expect(wrong.status).toBe(404);
    const missing = await fetch(listener.redirectUrl);
    expect(missing.status).toBe(400);

    const response = await fetch(`${listener.redirectUrl}?loginToken=abc123`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Fermez &#60;cet&#62; onglet');
    expect(await listener.loginToken).toBe('abc123');
    await expect(fetch(`${listener.redirectUrl}?loginToken=again`)).rejects.toThrow();
  });

  it('gives up after its timeout and when cancelled', async () => {
    const slow = await startLoopbackListener({ timeoutMs: 50, page });
    await expect(slow.loginToken).rejects.toMatchObject({ reason: 'timeout' });
    const cancelled = await startLoopbackListener({ timeoutMs: 10_000, page });
    cancelled.close();
    const error = await cancelled.loginToken.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsoCancelledError);
    expect((error as SsoCancelledError).reason).toBe('cancelled');
  });

  it('escapes the page text', () => {
    expect(callbackPageHtml({ lang: 'en"', title: '<script>', message: '&' })).not.toContain('<script>');
  });
});
