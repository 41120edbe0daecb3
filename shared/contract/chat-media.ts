// Files and images in chat (README "Chat", files and images). The page hands a file to main a
// chunk at a time (the browser bridge takes messages of at most 4 MB); main uploads it to the
// coop server, reporting progress with chatMedia.upload events, and sends the message only
// once the server has answered with the file's content URI. Images come back to the page as
// bytes main has checked to be a safe image type; other files are saved into the member's
// Downloads folder and opened outside Plenary only when the member asks.
import { z } from 'zod';
import { call, event, returns } from './define';
import { mxcPattern } from '../chat/media';

/** The bytes of one chunk between the page and main (base64 on the wire: 1.33 times this). */
export const mediaChunkBytes = 2 * 1024 * 1024;
/** The largest file Plenary hands over, whatever the server allows. */
export const maxMediaBytes = 2 * 1024 ** 3;

const roomId = z.string().regex(/^![^\s]+$/, 'must be a Matrix room id like !abc:server').max(255);
const eventId = z.string().regex(/^\$[^\s]+$/, 'must be a Matrix event id like $abc').max(255);
const transferId = z.string().regex(/^[0-9a-f]{32}$/, 'must be an id chatMedia gave');
const mxc = z.string().max(255).regex(mxcPattern, 'must be a content URI like mxc://server/id');
const chunk = z.base64().max(Math.ceil(mediaChunkBytes / 3) * 4);
/**
 * The message a file or image belongs to. For a file in an end-to-end encrypted room main
 * reads the message's EncryptedFile from its own cache, fetches the ciphertext, checks its
 * SHA-256 and decrypts it: the key never comes to the page.
 */
const message = z.object({ roomId, eventId }).strict();

export interface ChatMediaConfigView {
  /** The largest file the coop server takes, in bytes; null when it names no limit. */
  maxUploadBytes: number | null;
}

export interface ChatUploadProgress {
  uploadId: string;
  /** Bytes sent to the coop server so far. */
  sent: number;
  total: number;
}

export const chatMediaCalls = {
  chatMedia: {
    /** The coop server's upload limit (its media config), to state before a file is picked. */
    config: call(z.object({}).strict(), returns<ChatMediaConfigView>()),
    /** Refused before any byte when the file is over the server's limit, empty, or the room cannot take it. */
    uploadStart: call(
      z
        .object({
          roomId,
          name: z.string().trim().min(1).max(255),
          sizeBytes: z.int().min(0).max(maxMediaBytes),
          /** The type the page's file says it is; main decides images by the bytes. */
          mimetype: z.string().max(255),
          /** A reply in this thread (m.thread). */
          threadRoot: eventId.optional(),
        })
        .strict(),
      /** encrypted: the room is end-to-end encrypted, so the page adds a thumbnail for an image (the server cannot make one). */
      returns<{ uploadId: string; chunkBytes: number; maxUploadBytes: number | null; encrypted: boolean }>(),
    ),
    uploadChunk: call(z.object({ uploadId: transferId, index: z.int().min(0), data: chunk }).strict(), returns<{ received: number }>()),
    /**
     * Uploads the file (chatMedia.upload events report progress), then sends the message. For
     * an image the page adds its size and blurhash, worked out from a canvas.
     */
    uploadFinish: call(
      z
        .object({
          uploadId: transferId,
          image: z
            .object({
              width: z.int().min(1).max(100_000),
              height: z.int().min(1).max(100_000),
              blurhash: z.string().regex(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,100}$/, 'must be a blurhash').optional(),
            })
            .strict()
            .optional(),
          /**
           * In an encrypted room, an image's thumbnail the page drew (at most 800 × 600): main
           * checks it is an image, encrypts it and names it in info.thumbnail_file.
           */
          thumbnail: z
            .object({
              data: chunk,
              width: z.int().min(1).max(800),
              height: z.int().min(1).max(800),
            })
            .strict()
            .optional(),
        })
        .strict(),
      returns<{ txnId: string; contentUri: string }>(),
    ),
    /** Stops the upload (the request to the server is aborted); no message is sent. */
    uploadCancel: call(z.object({ uploadId: transferId }).strict(), returns<{ cancelled: true }>()),
    /**
     * An image to show: its thumbnail (or the whole image with full: true), fetched with
     * authenticated media and checked by its bytes. Read it with imageChunk.
     */
    image: call(z.object({ uri: mxc, full: z.boolean().default(false), message: message.optional() }).strict(), returns<{ imageId: string; mimetype: string; sizeBytes: number; chunks: number }>()),
    imageChunk: call(z.object({ imageId: transferId, index: z.int().min(0) }).strict(), returns<{ data: string }>()),
    /** Saves the file into the member's Downloads folder under a safe name that overwrites nothing. */
    download: call(z.object({ uri: mxc, name: z.string().max(255), message: message.optional() }).strict(), returns<{ savedId: string; fileName: string; folder: string }>()),
    /** Opens a saved file with the system's application; refused for programs and scripts. */
    open: call(z.object({ savedId: transferId }).strict(), returns<{ opened: boolean; path: string }>()),
    /** Shows a saved file in the system's file manager. */
    showInFolder: call(z.object({ savedId: transferId }).strict(), returns<{ shown: boolean; folder: string }>()),
  },
};

export const chatMediaEvents = {
  'chatMedia.upload': event<ChatUploadProgress>(),
};
