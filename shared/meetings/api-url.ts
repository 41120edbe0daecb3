// The BBB API address an operator enters: the server's address, with or without the
// /bigbluebutton/api path (BBB and Scalelite both serve the API there).
import { parseWebAddress } from './room-link';

export type ApiUrlResult = { ok: true; apiUrl: string; host: string } | { ok: false; message: string };

export function normalizeBbbApiUrl(input: string): ApiUrlResult {
  const parsed = parseWebAddress(input);
  if (!parsed.ok) return { ok: false, message: parsed.message.replace(/room link/g, 'API address') };
  const { origin, host, path, query } = parsed.address;
  if (query !== '') return { ok: false, message: 'The API address has a query (?…); enter only the server address, such as https://bbb.example.coop/bigbluebutton/api.' };
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed !== '' && trimmed !== '/bigbluebutton/api' && trimmed !== '/bigbluebutton') {
    return { ok: false, message: `"${path}" is not the BBB API path; it ends in /bigbluebutton/api.` };
  }
  return { ok: true, apiUrl: `${origin}/bigbluebutton/api/`, host };
}
