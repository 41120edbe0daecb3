// What a member's browser does on the forum's authorisation page, for integration tests that
// drive the core without Chromium: load /user-api-key/new, press Authorize (POST the form),
// and follow the redirect to wherever the forum sends the payload.
export function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}

/** Approves the request at `authUrl`; returns the forum's redirect address (with the payload). */
export async function approveKeyRequest(authUrl: string): Promise<{ status: number; location: string | null }> {
  const page = await (await fetch(authUrl)).text();
  const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)] as [string, string]);
  const response = await fetch(new URL('/user-api-key', authUrl), { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  await response.text();
  return { status: response.status, location: response.headers.get('location') };
}
