// Files and images in chat: the pure decisions. What the server's media config says about
// the upload limit, content URIs (mxc://) and the authenticated media paths (MSC3916) they
// are fetched from, which bytes are an image safe to show (by magic bytes, never by the
// declared type), which msgtype a file is sent as, the file name a download is saved under,
// and which saved files may be opened outside Plenary.
import { encryptedFileOf, type EncryptedFileProblem } from './encrypted-file';

/** What the server's media config says: the largest upload it takes, or null when it names none. */
export interface MediaConfig {
  maxUploadBytes: number | null;
}

/** `GET /_matrix/client/v1/media/config` (or the older /_matrix/media/v3/config) answer. */
export function parseMediaConfig(body: unknown): MediaConfig {
  const size = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['m.upload.size'] : undefined;
  return { maxUploadBytes: typeof size === 'number' && Number.isSafeInteger(size) && size > 0 ? size : null };
}

/** Why a file may not be uploaded before a single byte is sent, or null when it may. */
export function uploadRefusal(sizeBytes: number, config: MediaConfig): 'too_large' | 'empty' | null {
  if (sizeBytes === 0) return 'empty';
  if (config.maxUploadBytes !== null && sizeBytes > config.maxUploadBytes) return 'too_large';
  return null;
}

/** mxc://server/mediaId, as the spec's grammar allows (server name; media id of [A-Za-z0-9_-]). */
export const mxcPattern = /^mxc:\/\/((?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?)\/([A-Za-z0-9_-]+)$/;

export interface MxcParts {
  serverName: string;
  mediaId: string;
}

export function parseMxc(uri: unknown): MxcParts | null {
  if (typeof uri !== 'string' || uri.length > 255) return null;
  const match = mxcPattern.exec(uri);
  return match ? { serverName: match[1]!, mediaId: match[2]! } : null;
}

/** The largest thumbnail Plenary asks for: inline images are at most this big on screen (twice for sharp displays). */
export const thumbnailBox = { width: 800, height: 600 } as const;

/**
 * The authenticated media path (MSC3916, Matrix 1.11) for a content URI: the whole file, or
 * a thumbnail scaled to fit `box`. Null when the URI is not a valid mxc:// URI.
 */
export function authenticatedMediaPath(uri: string, what: 'download' | 'thumbnail', box: { width: number; height: number } = thumbnailBox): { path: string; query: Record<string, string> } | null {
  const parts = parseMxc(uri);
  if (!parts) return null;
  const path = `/_matrix/client/v1/media/${what}/${encodeURIComponent(parts.serverName)}/${encodeURIComponent(parts.mediaId)}`;
  if (what === 'download') return { path, query: {} };
  return { path, query: { width: String(Math.round(box.width)), height: String(Math.round(box.height)), method: 'scale', animated: 'true' } };
}

/** The image types shown in Plenary: raster formats with no scripts (never SVG or HTML). */
export const safeImageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type SafeImageType = (typeof safeImageTypes)[number];

const startsWith = (bytes: Uint8Array, at: number, signature: readonly number[]) => signature.every((b, i) => bytes[at + i] === b);

/** The image type the bytes are, by their magic numbers; null when they are none of the safe types. */
export function sniffImageType(bytes: Uint8Array): SafeImageType | null {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  // RIFF....WEBP
  if (startsWith(bytes, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, 8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return null;
}

export type MediaMsgtype = 'm.image' | 'm.file' | 'm.video' | 'm.audio';

/** A MIME type as sent in info.mimetype: type/subtype, lowercase, no parameters; octet-stream when unusable. */
export function cleanMimetype(declared: string | null | undefined): string {
  const value = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(value) ? value : 'application/octet-stream';
}

/** How a file is sent: an image only when its bytes are a safe image; video and audio by their type; else a file. */
export function mediaMsgtype(sniffed: SafeImageType | null, mimetype: string): MediaMsgtype {
  if (sniffed) return 'm.image';
  if (mimetype.startsWith('video/')) return 'm.video';
  if (mimetype.startsWith('audio/')) return 'm.audio';
  return 'm.file';
}

// Names Windows keeps for devices, with or without an extension.
const reservedNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const maxNameBytes = 200;
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  // A leading dot is not an extension, and neither is a long tail.
  if (dot <= 0 || name.length - dot > 16) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

function trimToBytes(text: string, bytes: number): string {
  let out = '';
  for (const char of text) {
    if (utf8Length(out + char) > bytes) break;
    out += char;
  }
  return out;
}

/**
 * A file name that is safe to save under in the Downloads folder: no folders (path
 * separators), no control or reserved characters, no Windows device names, no leading dots
 * (hidden files) or trailing dots and spaces, at most 200 bytes; `fallback` when nothing is left.
 */
export function safeFileName(name: string, fallback = 'download'): string {
  let clean = name
    .normalize('NFC')
    .replace(/[/\\]/g, '_')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (reservedNames.test(clean)) clean = `_${clean}`;
  if (clean === '' || /^_*$/.test(clean)) clean = fallback;
  if (utf8Length(clean) > maxNameBytes) {
    const { stem, ext } = splitExtension(clean);
    clean = trimToBytes(stem, maxNameBytes - utf8Length(ext)).trim() + ext;
  }
  return clean;
}

/**
 * The name a download is saved under: `safeFileName`, and when that name is taken the first
 * free one of "report (1).pdf", "report (2).pdf", … (never overwriting a file).
 */
export function downloadFileName(name: string, taken: (candidate: string) => boolean): string {
  const safe = safeFileName(name);
  if (!taken(safe)) return safe;
  const { stem, ext } = splitExtension(safe);
  for (let n = 1; n < 10_000; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken(candidate)) return candidate;
  }
  return `${stem} (${Date.now()})${ext}`;
}

/**
 * Extensions never opened from Plenary: programs, scripts, installers, shortcuts and
 * documents that run code in a browser. The member can still find the file in the folder.
 */
export const neverOpenedExtensions: ReadonlySet<string> = new Set([
  // Windows programs, installers, scripts and shortcuts
  'exe', 'com', 'bat', 'cmd', 'msi', 'msp', 'mst', 'msix', 'appx', 'scr', 'pif', 'cpl', 'dll', 'sys', 'drv', 'ocx',
  'vbs', 'vbe', 'js', 'jse', 'mjs', 'cjs', 'wsf', 'wsh', 'ws', 'wsc', 'ps1', 'psm1', 'psd1', 'ps1xml', 'hta', 'lnk', 'url', 'scf', 'reg', 'inf', 'gadget', 'application', 'msc', 'chm', 'settingcontent-ms', 'library-ms',
  // Unix and macOS programs, scripts, packages and launchers
  'sh', 'bash', 'zsh', 'csh', 'ksh', 'fish', 'command', 'tool', 'run', 'bin', 'out', 'elf', 'so', 'dylib', 'desktop', 'appimage', 'flatpak', 'flatpakref', 'snap', 'deb', 'rpm', 'app', 'pkg', 'mpkg', 'dmg', 'workflow', 'scpt', 'applescript', 'action', 'terminal',
  // Interpreted languages and cross-platform programs
  'py', 'pyc', 'pyw', 'pyz', 'pl', 'pm', 'rb', 'php', 'phar', 'lua', 'tcl', 'jar', 'class', 'apk', 'xpi', 'crx', 'vsix', 'nexe', 'wasm',
  // Pages and documents that run scripts when opened
  'html', 'htm', 'xhtml', 'xht', 'shtml', 'mht', 'mhtml', 'svg', 'svgz', 'xml', 'xsl', 'xslt', 'swf', 'jnlp', 'hlp', 'iso', 'img', 'vhd', 'vhdx',
]);

export type OpenDecision = { allowed: true } | { allowed: false; reason: 'executable'; extension: string };

/** Whether a saved file may be opened with the system's default application. */
export function openPolicy(fileName: string): OpenDecision {
  const name = fileName.trim().replace(/[.\s]+$/, '').toLowerCase();
  const dot = name.lastIndexOf('.');
  // No extension: the system may treat it as a program; the member opens it from the folder.
  if (dot <= 0) return { allowed: false, reason: 'executable', extension: '' };
  const extension = name.slice(dot + 1);
  return neverOpenedExtensions.has(extension) ? { allowed: false, reason: 'executable', extension } : { allowed: true };
}

/** What an m.image / m.file event says about its media, as the timeline shows it. */
export interface MediaInfo {
  msgtype: MediaMsgtype;
  /**
   * The content URI (mxc://) of the file — for an encrypted file, of its ciphertext, which main
   * fetches, checks and decrypts (the key never comes to the page) — or null for a broken event.
   */
  url: string | null;
  /** Sent in an end-to-end encrypted room as an EncryptedFile (`file`); fetch it by its message. */
  encrypted: boolean;
  /** Why an encrypted file cannot be opened (a malformed EncryptedFile), or null. */
  problem: EncryptedFileProblem | null;
  /** The file name: `filename`, else `body`. */
  name: string;
  mimetype: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  thumbnailUrl: string | null;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The media an m.room.message names, or null when it is not a file, image, video or audio message. */
export function mediaInfoOf(content: Record<string, unknown>): MediaInfo | null {
  const msgtype = content.msgtype;
  if (msgtype !== 'm.image' && msgtype !== 'm.file' && msgtype !== 'm.video' && msgtype !== 'm.audio') return null;
  const info = (typeof content.info === 'object' && content.info !== null ? content.info : {}) as Record<string, unknown>;
  const file = encryptedFileOf(content, 'file');
  const thumbFile = encryptedFileOf(content, 'thumbnail');
  const url = file ? (file.ok ? file.file.url : null) : text(content.url);
  const thumb = thumbFile ? (thumbFile.ok ? thumbFile.file.url : null) : text(info.thumbnail_url);
  const blurhash = text(info['xyz.amorgan.blurhash']);
  return {
    msgtype,
    url: url && parseMxc(url) ? url : null,
    encrypted: file !== null,
    problem: file && !file.ok ? file.problem : null,
    name: (text(content.filename) ?? text(content.body) ?? '').slice(0, 255),
    mimetype: text(info.mimetype) ? cleanMimetype(text(info.mimetype)) : null,
    size: num(info.size),
    width: num(info.w),
    height: num(info.h),
    // Blurhashes are short; anything else is not one.
    blurhash: blurhash && /^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,100}$/.test(blurhash) ? blurhash : null,
    thumbnailUrl: thumb && parseMxc(thumb) ? thumb : null,
  };
}
