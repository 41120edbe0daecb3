// Sends a file into a room through Plenary: the page hands it to main a chunk at a time (the
// browser bridge takes messages of at most 4 MB), then main uploads it to the coop server
// (chatMedia.upload events report that part) and sends the message once the server has the
// whole file. For an image the page adds its size and a blurhash, worked out on a canvas.
// `progress` gets a fraction of the whole: the first half is the hand-over, the second the upload.
import { encode } from 'blurhash';
import type { ChatUploadProgress } from '../../../shared/contract/chat-media';
import { api, onEvent } from '../api/client';

/**
 * A slice of the file as base64. Uint8Array.prototype.toBase64 (Chromium 140+, so Electron 40)
 * is native and about 13 times faster than String.fromCharCode and btoa; a data: URL from
 * FileReader, also native, where it is missing. Measured for chat.upload_mb_per_s.
 */
async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer()) as Uint8Array & { toBase64?: () => string };
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(blob);
  });
  return url.slice(url.indexOf(',') + 1);
}

/** Width, height and blurhash of an image file the browser can decode; null for anything else. */
export async function imageFacts(file: Blob): Promise<{ width: number; height: number; blurhash?: string } | null> {
  if (!/^image\/(png|jpeg|gif|webp)$/.test(file.type)) return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  const { width, height } = bitmap;
  try {
    // A blurhash needs few pixels: the image scaled down to at most 64 px a side.
    const scale = Math.min(1, 64 / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext('2d');
    if (!context) return { width, height };
    context.drawImage(bitmap, 0, 0, w, h);
    const pixels = context.getImageData(0, 0, w, h).data;
    return { width, height, blurhash: encode(pixels, w, h, 4, 3) };
  } catch {
    return { width, height };
  } finally {
    bitmap.close();
  }
}

/** The thumbnail box, as Element's: images larger than 800 × 600 get one, scaled to fit. */
const thumbBox = { width: 800, height: 600 };

/**
 * A thumbnail of an image larger than the thumbnail box, drawn on a canvas (JPEG for a JPEG,
 * else PNG, as Element does); null for a small image (it is shown whole) or when it cannot be made.
 */
export async function imageThumbnail(file: Blob, facts: { width: number; height: number }): Promise<{ data: string; width: number; height: number } | null> {
  if (facts.width <= thumbBox.width && facts.height <= thumbBox.height) return null;
  const scale = Math.min(thumbBox.width / facts.width, thumbBox.height / facts.height);
  const width = Math.max(1, Math.round(facts.width * scale));
  const height = Math.max(1, Math.round(facts.height * scale));
  try {
    const bitmap = await createImageBitmap(file, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, file.type === 'image/jpeg' ? 'image/jpeg' : 'image/png', 0.8));
    // Larger than one hand-over chunk: none (the image itself is shown instead).
    if (!blob || blob.size > 2 * 1024 * 1024) return null;
    return { data: await blobToBase64(blob), width, height };
  } catch {
    return null;
  }
}

export interface ChatUpload {
  /** Known once main accepted the file (it refuses a file over the limit before any byte). */
  uploadId: string | null;
  cancelled: boolean;
}

export async function uploadToChat(
  file: File,
  target: { roomId: string; threadRoot?: string | undefined },
  progress: (fraction: number) => void,
  handle: ChatUpload,
): Promise<void> {
  const facts = await imageFacts(file);
  const { uploadId, chunkBytes, encrypted } = await api().chatMedia.uploadStart({
    roomId: target.roomId,
    name: file.name || 'file',
    sizeBytes: file.size,
    mimetype: file.type,
    ...(target.threadRoot ? { threadRoot: target.threadRoot } : {}),
  });
  handle.uploadId = uploadId;
  const stop = async () => {
    await api().chatMedia.uploadCancel({ uploadId }).catch(() => undefined);
  };
  try {
    for (let index = 0, offset = 0; offset < file.size; index++, offset += chunkBytes) {
      if (handle.cancelled) throw new DOMException('cancelled', 'AbortError');
      const slice = file.slice(offset, offset + chunkBytes);
      await api().chatMedia.uploadChunk({ uploadId, index, data: await blobToBase64(slice) });
      progress(Math.min(1, (offset + slice.size) / file.size) / 2);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  if (handle.cancelled) {
    await stop();
    throw new DOMException('cancelled', 'AbortError');
  }
  const unsubscribe = onEvent((name, payload) => {
    if (name !== 'chatMedia.upload') return;
    const sent = payload as ChatUploadProgress;
    if (sent.uploadId === uploadId && sent.total > 0) progress(0.5 + sent.sent / sent.total / 2);
  });
  try {
    // In an encrypted room the server cannot scale the image: a thumbnail from here, encrypted by main.
    const thumbnail = encrypted && facts ? await imageThumbnail(file, facts) : null;
    await api().chatMedia.uploadFinish({ uploadId, ...(facts ? { image: facts } : {}), ...(thumbnail ? { thumbnail } : {}) });
    progress(1);
  } finally {
    unsubscribe();
  }
}

/** Cancels an upload: before main has the file it stops the hand-over; after, main aborts the request. */
export function cancelChatUpload(handle: ChatUpload): void {
  handle.cancelled = true;
  if (handle.uploadId) void api().chatMedia.uploadCancel({ uploadId: handle.uploadId }).catch(() => undefined);
}

/**
 * An image's bytes as a blob: URL, read from main a chunk at a time. With its message, main
 * reads the message's EncryptedFile itself (an encrypted room) and hands over decrypted bytes.
 */
export async function loadImage(uri: string, full: boolean, message?: { roomId: string; eventId: string }): Promise<string> {
  const image = await api().chatMedia.image({ uri, full, ...(message ? { message } : {}) });
  const parts: BlobPart[] = [];
  for (let index = 0; index < image.chunks; index++) {
    const { data } = await api().chatMedia.imageChunk({ imageId: image.imageId, index });
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    parts.push(bytes);
  }
  // The type main found in the bytes (PNG, JPEG, GIF or WebP), never what the server declared.
  return URL.createObjectURL(new Blob(parts, { type: image.mimetype }));
}
