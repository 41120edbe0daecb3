// Files and images in chat: uploads handed over by the page a chunk at a time, sent to the
// coop server's media repository with progress and cancel, and the message sent through the
// outbox only once the server answered with the content URI; images fetched with
// authenticated media (MSC3916) and handed to the page only when their bytes are a safe
// image; other files saved into the Downloads folder and opened only when the member asks.
// The decisions are pure functions in shared/chat/media.ts. In an end-to-end encrypted room the
// file is encrypted here before upload and, named by its message, checked (SHA-256) and
// decrypted here after download (shared/chat/encrypted-file.ts, ./encrypted-attachment.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PlenaryError } from '../../../shared/errors';
import { mediaChunkBytes, type ChatMediaConfigView, type ChatUploadProgress } from '../../../shared/contract/chat-media';
import {
  authenticatedMediaPath,
  cleanMimetype,
  downloadFileName,
  mediaMsgtype,
  openPolicy,
  parseMediaConfig,
  sniffImageType,
  uploadRefusal,
  type MediaConfig,
} from '../../../shared/chat/media';
import { encryptedFileOf, type EncryptedFileCheck, type EncryptedFileRef } from '../../../shared/chat/encrypted-file';
import { MatrixHttpError, MatrixNetworkError } from '../matrix/matrix-connection';
import { decryptAttachment, encryptAttachment } from './encrypted-attachment';
import type { MatrixConnectionService } from '../matrix/matrix-connection-service';
import type { ChatService } from './chat-service';
import type { Logger } from '../log';
import type { Clock } from '../clock';

export interface ChatMediaOptions {
  matrix: MatrixConnectionService;
  chat: ChatService;
  log: Logger;
  clock: Clock;
  /** Where downloads are saved (the member's Downloads folder). */
  downloadsDir?: string | undefined;
  /** Opens a file with the system's application (Electron shell.openPath); absent in the browser bridge. */
  openPath?: ((path: string) => Promise<void>) | undefined;
  /** Shows a file in the system's file manager (Electron shell.showItemInFolder); absent in the browser bridge. */
  showItemInFolder?: ((path: string) => void) | undefined;
  onProgress(progress: ChatUploadProgress): void;
}

interface Upload {
  roomId: string;
  name: string;
  declaredType: string;
  size: number;
  threadRoot: string | undefined;
  /** An end-to-end encrypted room: the file goes up as ciphertext, the message names it with `file`. */
  encrypted: boolean;
  chunks: Buffer[];
  received: number;
  abort: AbortController | null;
  touched: number;
}

/** The message a file or image belongs to: main reads its EncryptedFile (and key) from its cache. */
export interface MediaMessage {
  roomId: string;
  eventId: string;
}

interface HeldImage {
  bytes: Buffer;
  chunks: number;
  read: Set<number>;
}

/** The media config is asked again after this long (the server's limit seldom changes). */
const configTtlMs = 10 * 60_000;
/** An upload or image nobody touched for this long is dropped. */
const idleMs = 30 * 60_000;
/** The largest image handed to the page to show (a thumbnail is far smaller). */
const maxImageBytes = 64 * 1024 * 1024;
/** Progress events at most this often while bytes go out. */
const progressEveryMs = 100;
const heldImages = 24;

function newId(): string {
  return randomBytes(16).toString('hex');
}

function dropped(what: string, cause: unknown): PlenaryError {
  return new PlenaryError('offline', `${what}: the connection to the coop server dropped (${cause instanceof Error ? cause.message : String(cause)})`, {
    params: { reason: 'connection_dropped' },
    cause,
  });
}

async function serverRefusal(response: Response, what: string): Promise<PlenaryError> {
  const body = (await response.json().catch(() => null)) as { errcode?: unknown; error?: unknown } | null;
  const errcode = typeof body?.errcode === 'string' ? body.errcode : `HTTP_${response.status}`;
  const detail = typeof body?.error === 'string' ? body.error : response.statusText;
  if (response.status === 413 || errcode === 'M_TOO_LARGE') {
    return new PlenaryError('invalid_input', `${what}: the coop server refused the file as too large (${detail})`, { params: { reason: 'too_large' } });
  }
  if (response.status === 429) return new PlenaryError('rate_limited', `${what}: the coop server asks to wait (${detail})`, { params: { reason: 'rate_limited' } });
  if (response.status === 404) return new PlenaryError('not_found', `${what}: the coop server does not have this file (${errcode})`, { params: { reason: 'media_missing' } });
  if (response.status === 401 || response.status === 403) return new PlenaryError('forbidden', `${what}: the coop server refused (${errcode}: ${detail})`, { params: { reason: 'media_forbidden' } });
  return new PlenaryError('remote_error', `${what}: the coop server answered ${response.status} (${errcode}: ${detail})`, { params: { reason: 'server' } });
}

export class ChatMediaService {
  private readonly uploads = new Map<string, Upload>();
  private readonly images = new Map<string, HeldImage>();
  private readonly saved = new Map<string, string>();
  private configCache: { homeserver: string; at: number; config: MediaConfig } | null = null;
  readonly downloadsDir: string;

  constructor(private readonly options: ChatMediaOptions) {
    this.downloadsDir = options.downloadsDir ?? join(homedir(), 'Downloads');
  }

  private session() {
    const session = this.options.matrix.session();
    if (!session) throw new PlenaryError('offline', 'Sign in to the coop server to send and open files', { params: { reason: 'signed_out' } });
    return session;
  }

  /** The server's media config: the authenticated endpoint (Matrix 1.11), else the older one. */
  async config(): Promise<ChatMediaConfigView> {
    const session = this.session();
    const now = this.options.clock.now();
    if (this.configCache && this.configCache.homeserver === session.homeserverUrl && now - this.configCache.at < configTtlMs) return this.configCache.config;
    const ask = async (path: string) => {
      try {
        return await this.options.matrix.fetchRaw('GET', path, { signal: AbortSignal.timeout(30_000) });
      } catch (error) {
        if (error instanceof MatrixNetworkError || (error instanceof DOMException && error.name === 'TimeoutError')) {
          throw new PlenaryError('offline', 'Could not ask the coop server for its upload limit: it cannot be reached', { params: { reason: 'offline' }, cause: error });
        }
        throw error;
      }
    };
    let response = await ask('/_matrix/client/v1/media/config');
    if (!response.ok && [400, 404, 405].includes(response.status)) response = await ask('/_matrix/media/v3/config');
    if (!response.ok) throw await serverRefusal(response, 'Reading the upload limit');
    const config = parseMediaConfig(await response.json().catch(() => null));
    this.configCache = { homeserver: session.homeserverUrl, at: now, config };
    return config;
  }

  async uploadStart(input: {
    roomId: string;
    name: string;
    sizeBytes: number;
    mimetype: string;
    threadRoot?: string | undefined;
  }): Promise<{ uploadId: string; chunkBytes: number; maxUploadBytes: number | null; encrypted: boolean }> {
    this.sweep();
    const room = this.options.chat.store.room(input.roomId);
    if (!room) throw new PlenaryError('not_found', `You are not in the room ${input.roomId} (or it is not synced yet)`, { field: 'roomId', params: { reason: 'room' } });
    if (input.threadRoot) this.options.chat.threadTarget(input.roomId, input.threadRoot);
    const config = await this.config();
    const refusal = uploadRefusal(input.sizeBytes, config);
    if (refusal === 'too_large') {
      throw new PlenaryError('invalid_input', `The file is ${input.sizeBytes} bytes; the coop server takes files of at most ${config.maxUploadBytes} bytes`, {
        field: 'sizeBytes',
        params: { reason: 'too_large', max: config.maxUploadBytes ?? 0, size: input.sizeBytes },
      });
    }
    if (refusal === 'empty') throw new PlenaryError('invalid_input', 'The file is empty', { field: 'sizeBytes', params: { reason: 'empty' } });
    const uploadId = newId();
    this.uploads.set(uploadId, {
      roomId: input.roomId,
      name: input.name,
      declaredType: cleanMimetype(input.mimetype),
      size: input.sizeBytes,
      threadRoot: input.threadRoot,
      encrypted: room.encrypted === 1,
      chunks: [],
      received: 0,
      abort: null,
      touched: this.options.clock.now(),
    });
    // In an encrypted room the server cannot make thumbnails: the page makes one, main encrypts it.
    return { uploadId, chunkBytes: mediaChunkBytes, maxUploadBytes: config.maxUploadBytes, encrypted: room.encrypted === 1 };
  }

  private upload(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new PlenaryError('not_found', 'This upload was cancelled or has expired; pick the file again', { field: 'uploadId', params: { reason: 'upload_gone' } });
    upload.touched = this.options.clock.now();
    return upload;
  }

  uploadChunk(uploadId: string, index: number, data: string): { received: number } {
    const upload = this.upload(uploadId);
    if (upload.abort) throw new PlenaryError('conflict', 'The file is already being sent', { field: 'uploadId' });
    if (index !== upload.chunks.length) throw new PlenaryError('invalid_input', `Expected chunk ${upload.chunks.length}, got ${index}`, { field: 'index' });
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > mediaChunkBytes || upload.received + bytes.length > upload.size) {
      throw new PlenaryError('invalid_input', `The chunks add up to more than the ${upload.size} bytes announced`, { field: 'data' });
    }
    upload.chunks.push(bytes);
    upload.received += bytes.length;
    return { received: upload.received };
  }

  /** Sends the file to the server, then (only then) the message naming it. */
  async uploadFinish(
    uploadId: string,
    image?: { width: number; height: number; blurhash?: string | undefined },
    thumbnail?: { data: string; width: number; height: number },
  ): Promise<{ txnId: string; contentUri: string }> {
    const upload = this.upload(uploadId);
    if (upload.abort) throw new PlenaryError('conflict', 'The file is already being sent', { field: 'uploadId' });
    if (upload.received !== upload.size) {
      throw new PlenaryError('invalid_input', `Only ${upload.received} of the file's ${upload.size} bytes were handed over`, { field: 'uploadId', params: { reason: 'incomplete' } });
    }
    const sniffed = sniffImageType(upload.chunks[0] ?? Buffer.alloc(0));
    const mimetype = sniffed ?? upload.declaredType;
    const msgtype = mediaMsgtype(sniffed, mimetype);
    // A thumbnail is only taken for an image in an encrypted room, and only when its bytes are an image.
    const thumbBytes = upload.encrypted && msgtype === 'm.image' && thumbnail ? Buffer.from(thumbnail.data, 'base64') : null;
    const thumbType = thumbBytes ? sniffImageType(thumbBytes) : null;
    if (thumbBytes && !thumbType) throw new PlenaryError('invalid_input', 'The thumbnail is not a PNG, JPEG, GIF or WebP image', { field: 'thumbnail', params: { reason: 'not_image' } });
    const abort = new AbortController();
    upload.abort = abort;
    let contentUri: string;
    let file: Record<string, unknown> | null = null;
    let thumbnailFile: Record<string, unknown> | null = null;
    try {
      if (upload.encrypted) {
        // Encrypted here, in main: the coop server only ever receives the ciphertext.
        const sealed = await encryptAttachment(Buffer.concat(upload.chunks));
        // The plaintext stays in `upload` (a retry encrypts afresh); only ciphertext goes out.
        contentUri = await this.send(uploadId, [sealed.ciphertext], upload.size, {}, 'application/octet-stream', abort.signal);
        file = sealed.file(contentUri);
        if (thumbBytes) {
          const sealedThumb = await encryptAttachment(thumbBytes);
          thumbnailFile = sealedThumb.file(await this.sendBytes(sealedThumb.ciphertext, abort.signal));
        }
      } else {
        contentUri = await this.send(uploadId, upload.chunks, upload.size, { filename: upload.name }, mimetype, abort.signal);
      }
    } finally {
      upload.abort = null;
    }
    // The server has the whole file: now the message, through the outbox (so it waits out an offline moment).
    this.uploads.delete(uploadId);
    const info: Record<string, unknown> = { mimetype, size: upload.size };
    if (msgtype === 'm.image' && image) {
      info.w = image.width;
      info.h = image.height;
      if (image.blurhash) info['xyz.amorgan.blurhash'] = image.blurhash;
    }
    if (thumbnailFile && thumbBytes && thumbnail) {
      info.thumbnail_file = thumbnailFile;
      info.thumbnail_info = { mimetype: thumbType, size: thumbBytes.length, w: thumbnail.width, h: thumbnail.height };
    }
    const content: Record<string, unknown> = { msgtype, body: upload.name, filename: upload.name, ...(file ? { file } : { url: contentUri }), info, 'm.mentions': {} };
    if (upload.threadRoot) {
      const thread = this.options.chat.threadTarget(upload.roomId, upload.threadRoot);
      content['m.relates_to'] = { rel_type: 'm.thread', event_id: thread.rootId, is_falling_back: true, 'm.in_reply_to': { event_id: thread.latestEventId } };
    }
    const { txnId } = this.options.chat.sendContent(upload.roomId, content);
    return { txnId, contentUri };
  }

  private async send(uploadId: string, chunks: Buffer[], total: number, query: Record<string, string>, mimetype: string, signal: AbortSignal): Promise<string> {
    let sent = 0;
    let lastEvent = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastEvent < progressEveryMs) return;
      lastEvent = now;
      this.options.onProgress({ uploadId, sent, total });
    };
    // Pulled as the socket takes bytes, so what is counted is what went out (give or take the socket's buffer).
    const slice = 256 * 1024;
    let chunk = 0;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const current = chunks[chunk];
        if (!current) {
          // Every byte is with the connection: the server's answer is next.
          report(true);
          controller.close();
          return;
        }
        const part = current.subarray(offset, offset + slice);
        offset += part.length;
        if (offset >= current.length) {
          chunk++;
          offset = 0;
        }
        sent += part.length;
        report(false);
        controller.enqueue(part);
      },
    });
    report(true);
    // An encrypted file's name stays out of the server's records (no filename), as Element does.
    const uri = await this.post(body, total, query, mimetype, signal);
    sent = total;
    report(true);
    return uri;
  }

  /** Uploads a small file (an encrypted thumbnail) in one piece. */
  private sendBytes(bytes: Buffer, signal: AbortSignal): Promise<string> {
    return this.post(new Uint8Array(bytes), bytes.length, {}, 'application/octet-stream', signal);
  }

  private async post(body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>, total: number, query: Record<string, string>, mimetype: string, signal: AbortSignal): Promise<string> {
    let response: Response;
    try {
      response = await this.options.matrix.fetchRaw('POST', '/_matrix/media/v3/upload', {
        query,
        headers: { 'Content-Type': mimetype, 'Content-Length': String(total) },
        body,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new PlenaryError('conflict', 'The upload was cancelled; nothing was sent', { params: { reason: 'cancelled' } });
      if (error instanceof MatrixHttpError) throw new PlenaryError('offline', error.message, { params: { reason: 'signed_out' } });
      throw dropped('The file was not sent', error);
    }
    if (!response.ok) throw await serverRefusal(response, 'The file was not sent');
    let answer: { content_uri?: unknown };
    try {
      answer = (await response.json()) as { content_uri?: unknown };
    } catch (error) {
      if (signal.aborted) throw new PlenaryError('conflict', 'The upload was cancelled; nothing was sent', { params: { reason: 'cancelled' } });
      throw dropped('The file was not sent', error);
    }
    if (typeof answer.content_uri !== 'string' || !authenticatedMediaPath(answer.content_uri, 'download')) {
      throw new PlenaryError('remote_error', 'The coop server did not name the uploaded file; nothing was sent', { params: { reason: 'server' } });
    }
    return answer.content_uri;
  }

  uploadCancel(uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    upload?.abort?.abort(new Error('cancelled by the member'));
  }

  private async fetchMedia(uri: string, what: 'download' | 'thumbnail', failure: string): Promise<Response> {
    const target = authenticatedMediaPath(uri, what);
    if (!target) throw new PlenaryError('invalid_input', `${uri} is not a content URI`, { field: 'uri' });
    this.session();
    try {
      return await this.options.matrix.fetchRaw('GET', target.path, { query: target.query, signal: AbortSignal.timeout(120_000) });
    } catch (error) {
      if (error instanceof MatrixHttpError) throw new PlenaryError('offline', error.message, { params: { reason: 'signed_out' } });
      throw dropped(failure, error);
    }
  }

  private async body(response: Response, failure: string, limit: number): Promise<Buffer> {
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw new PlenaryError('invalid_input', `${failure}: the file is larger than Plenary shows (${length} bytes)`, { params: { reason: 'too_large' } });
    }
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw dropped(failure, error);
    }
  }

  /**
   * Where a message's media comes from. Without the message, the content URI the page named
   * (a file in the clear). With it, the message as cached here decides: its EncryptedFile when
   * it has one (a thumbnail's, else the file's), checked before anything is fetched.
   */
  private source(uri: string, message: MediaMessage | undefined, which: 'file' | 'thumbnail', failure: string): { clear: string } | { encrypted: EncryptedFileRef } {
    if (!message) return { clear: uri };
    const store = this.options.chat.store;
    const event = store.event(message.eventId);
    let raw: string;
    if (event && event.room_id === message.roomId) {
      if (event.type === 'm.room.encrypted') {
        throw new PlenaryError('not_found', `${failure}: the message ${message.eventId} is not decrypted yet`, { field: 'eventId', params: { reason: 'not_decrypted' } });
      }
      raw = event.content;
    } else {
      // The member's own message just sent: the server has it, but its copy has not come back
      // through /sync yet. The outbox still holds what was sent (with its EncryptedFile).
      const sent = store.outbox(message.roomId).find((row) => row.event_id === message.eventId);
      if (!sent) throw new PlenaryError('not_found', `${failure}: the message ${message.eventId} is not cached here`, { field: 'eventId', params: { reason: 'media_missing' } });
      raw = sent.content;
    }
    let content: Record<string, unknown>;
    try {
      content = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      content = {};
    }
    const file = encryptedFileOf(content, 'file');
    if (!file) return { clear: uri };
    const thumb = which === 'thumbnail' ? encryptedFileOf(content, 'thumbnail') : null;
    // A broken thumbnail is no reason not to show the image itself.
    const chosen: EncryptedFileCheck = thumb?.ok ? thumb : file;
    if (!chosen.ok) {
      throw new PlenaryError('invalid_input', `${failure}: ${chosen.detail}`, { params: { reason: 'bad_encrypted_file', problem: chosen.problem } });
    }
    return { encrypted: chosen.file };
  }

  /** An encrypted file's bytes: the ciphertext fetched, its SHA-256 checked, then decrypted. */
  private async decrypted(file: EncryptedFileRef, failure: string, limit: number): Promise<Buffer> {
    const response = await this.fetchMedia(file.url, 'download', failure);
    if (!response.ok) throw await serverRefusal(response, failure);
    return decryptAttachment(await this.body(response, failure, limit), file, failure);
  }

  /** A thumbnail (or the whole image), checked by its bytes to be a PNG, JPEG, GIF or WebP. */
  async image(uri: string, full: boolean, message?: MediaMessage): Promise<{ imageId: string; mimetype: string; sizeBytes: number; chunks: number }> {
    const failure = 'The image could not be shown';
    const from = this.source(uri, message, full ? 'file' : 'thumbnail', failure);
    let bytes: Buffer;
    let declared: string | null = null;
    if ('encrypted' in from) {
      bytes = await this.decrypted(from.encrypted, failure, maxImageBytes);
    } else {
      let response = await this.fetchMedia(from.clear, full ? 'download' : 'thumbnail', failure);
      // No thumbnail (a type the server does not scale, or thumbnails turned off): the image itself.
      if (!full && !response.ok && response.status !== 401 && response.status !== 429) {
        await response.body?.cancel().catch(() => undefined);
        response = await this.fetchMedia(from.clear, 'download', failure);
      }
      if (!response.ok) throw await serverRefusal(response, failure);
      bytes = await this.body(response, failure, maxImageBytes);
      declared = response.headers.get('content-type');
    }
    // The declared Content-Type is never trusted: only the bytes say what this is.
    const mimetype = sniffImageType(bytes);
    if (!mimetype) {
      throw new PlenaryError('invalid_input', `${failure}: its bytes are not a PNG, JPEG, GIF or WebP image (the server called it ${declared ?? 'nothing'})`, {
        params: { reason: 'not_image' },
      });
    }
    const imageId = newId();
    this.images.set(imageId, { bytes, chunks: Math.max(1, Math.ceil(bytes.length / mediaChunkBytes)), read: new Set() });
    while (this.images.size > heldImages) this.images.delete(this.images.keys().next().value!);
    return { imageId, mimetype, sizeBytes: bytes.length, chunks: this.images.get(imageId)!.chunks };
  }

  imageChunk(imageId: string, index: number): { data: string } {
    const held = this.images.get(imageId);
    if (!held || index >= held.chunks) throw new PlenaryError('not_found', 'This image is no longer held; ask for it again', { field: 'imageId' });
    held.read.add(index);
    if (held.read.size === held.chunks) this.images.delete(imageId);
    return { data: held.bytes.subarray(index * mediaChunkBytes, (index + 1) * mediaChunkBytes).toString('base64') };
  }

  /** Saves the file into the Downloads folder under a name that overwrites nothing. */
  async download(uri: string, name: string, message?: MediaMessage): Promise<{ savedId: string; fileName: string; folder: string }> {
    const failure = 'The file could not be downloaded';
    const from = this.source(uri, message, 'file', failure);
    let bytes: Buffer;
    if ('encrypted' in from) {
      // Checked and decrypted before a byte is written: a changed file is never saved.
      bytes = await this.decrypted(from.encrypted, failure, Number.MAX_SAFE_INTEGER);
    } else {
      const response = await this.fetchMedia(from.clear, 'download', failure);
      if (!response.ok) throw await serverRefusal(response, failure);
      bytes = await this.body(response, failure, Number.MAX_SAFE_INTEGER);
    }
    const folder = this.downloadsDir;
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new PlenaryError('storage_failed', `${failure}: the Downloads folder ${folder} cannot be made (${String(error)})`, { params: { reason: 'downloads_folder' } });
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const fileName = downloadFileName(name, (candidate) => existsSync(join(folder, candidate)));
      const path = join(folder, fileName);
      try {
        // 'wx': never overwrite, even a file that appeared since the name was chosen.
        writeFileSync(path, bytes, { flag: 'wx', mode: 0o644 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        const code = (error as NodeJS.ErrnoException).code;
        throw new PlenaryError(code === 'ENOSPC' ? 'storage_full' : 'storage_failed', `${failure}: ${String(error)}`, { params: { reason: 'downloads_folder' } });
      }
      const savedId = newId();
      this.saved.set(savedId, path);
      return { savedId, fileName, folder };
    }
    throw new PlenaryError('conflict', `${failure}: no free file name in ${folder}`, { params: { reason: 'downloads_folder' } });
  }

  private savedPath(savedId: string): string {
    const path = this.saved.get(savedId);
    if (!path) throw new PlenaryError('not_found', 'Plenary did not save this file in this session; download it again', { field: 'savedId' });
    return path;
  }

  /** Opens a saved file with the system's application, unless it is a program or script. */
  async open(savedId: string): Promise<{ opened: boolean; path: string }> {
    const path = this.savedPath(savedId);
    const decision = openPolicy(basename(path));
    if (!decision.allowed) {
      throw new PlenaryError('forbidden', `Plenary does not open ${decision.extension ? `.${decision.extension} files` : 'files without an extension'}: they can run programs. The file is in ${dirname(path)}.`, {
        params: { reason: 'unsafe_type', extension: decision.extension, folder: dirname(path) },
      });
    }
    if (!existsSync(path)) throw new PlenaryError('not_found', `The saved file ${path} is gone`, { params: { reason: 'file_gone' } });
    if (!this.options.openPath) return { opened: false, path };
    await this.options.openPath(path);
    return { opened: true, path };
  }

  showInFolder(savedId: string): { shown: boolean; folder: string } {
    const path = this.savedPath(savedId);
    if (!this.options.showItemInFolder) return { shown: false, folder: dirname(path) };
    this.options.showItemInFolder(path);
    return { shown: true, folder: dirname(path) };
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const [id, upload] of this.uploads) if (!upload.abort && now - upload.touched > idleMs) this.uploads.delete(id);
  }

  close(): void {
    for (const upload of this.uploads.values()) upload.abort?.abort(new Error('Plenary is closing'));
    this.uploads.clear();
    this.images.clear();
  }
}
