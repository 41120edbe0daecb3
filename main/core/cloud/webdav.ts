// The WebDAV that NextCloud serves at /remote.php/dav/files/<user>/ (RFC 4918): listing a
// folder with PROPFIND (Depth: 1) and reading its multistatus answer.
import { XMLParser } from 'fast-xml-parser';
import type { CloudEntry } from '../../../shared/cloud/types';

export const davRoot = '/remote.php/dav/files';

/** A member path ("/Documents/a b.pdf") as a WebDAV path, each segment percent-encoded. */
export function davPath(user: string, path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  return `${davRoot}/${encodeURIComponent(user)}/${segments.map(encodeURIComponent).join('/')}`;
}

export const propfindBody =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getcontenttype/></d:prop></d:propfind>';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'response' || name === 'propstat' });

interface PropStat {
  status?: string;
  prop?: { resourcetype?: { collection?: unknown } | string; getcontentlength?: string; getlastmodified?: string; getcontenttype?: string };
}

/** The entries of a Depth: 1 PROPFIND answer, without the folder itself, folders first. */
export function parseListing(xml: string, user: string, folder: string): CloudEntry[] {
  const doc = parser.parse(xml) as { multistatus?: { response?: { href?: string; propstat?: PropStat[] }[] } };
  const home = `${davRoot}/${encodeURIComponent(user)}`;
  const self = davPath(user, folder).replace(/\/$/, '');
  const entries: CloudEntry[] = [];
  for (const response of doc.multistatus?.response ?? []) {
    const href = (response.href ?? '').replace(/^https?:\/\/[^/]+/, '');
    const trimmed = href.replace(/\/$/, '');
    if (trimmed === self || !trimmed.startsWith(home)) continue;
    const path = trimmed
      .slice(home.length)
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    const ok = (response.propstat ?? []).find((p) => / 200 /.test(p.status ?? ''))?.prop ?? {};
    const isFolder = typeof ok.resourcetype === 'object' && ok.resourcetype !== null && 'collection' in ok.resourcetype;
    const modified = ok.getlastmodified ? Date.parse(ok.getlastmodified) : NaN;
    entries.push({
      name: path.split('/').pop() ?? path,
      path,
      kind: isFolder ? 'folder' : 'file',
      sizeBytes: isFolder ? null : Number(ok.getcontentlength ?? 0),
      modifiedAt: Number.isFinite(modified) ? modified : null,
    });
  }
  return entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
}
