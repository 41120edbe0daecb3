// Files and images in the timeline. An image shows inline from its thumbnail, with its
// blurhash (or a plain placeholder) until the thumbnail is there, and opens full size in a
// dialog (Esc closes it). Its bytes come from main, which fetched them with authenticated
// media and checked they are a PNG, JPEG, GIF or WebP image; they are shown from a blob: URL.
// Another file offers "Download" (into the Downloads folder), and "Open" and "Show in
// folder" only once it is saved.
//
// In an end-to-end encrypted room the page names the message, not just the content URI: main
// reads the message's EncryptedFile (and key) from its own cache, checks the ciphertext's
// SHA-256 and decrypts; the page gets the same checked bytes as for a file in the clear.
import { createContext, useContext, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { decode } from 'blurhash';
import type { ChatItem } from '../../../shared/contract/chat';
import type { MediaInfo } from '../../../shared/chat/media';
import { api } from '../api/client';
import { formatBytes } from '../data/format';
import { loadImage } from './media-upload';
import { mediaErrorText } from './composer-attach';

/** The inline box: the image scaled to fit 320 × 240, so the row's height is known before it loads. */
export function inlineBox(media: Pick<MediaInfo, 'width' | 'height'>): { width: number; height: number } {
  const width = media.width ?? 320;
  const height = media.height ?? 240;
  const scale = Math.min(1, 320 / width, 240 / height);
  return { width: Math.max(48, Math.round(width * scale)), height: Math.max(48, Math.round(height * scale)) };
}

/** The room whose timeline (or thread) the rows are in: an encrypted file is fetched by its message. */
export const MediaRoom = createContext<string | null>(null);

type Message = { roomId: string; eventId: string } | undefined;

/** The message to name when main must read its EncryptedFile; undefined for a file in the clear. */
function useMessage(item: ChatItem): Message {
  const roomId = useContext(MediaRoom);
  return item.media?.encrypted && roomId && item.eventId ? { roomId, eventId: item.eventId } : undefined;
}

// Thumbnails already fetched, by content URI, so a row scrolled away and back shows at once.
const thumbnails = new Map<string, Promise<string>>();
const keptThumbnails = 200;
function thumbnail(uri: string, message: Message): Promise<string> {
  let url = thumbnails.get(uri);
  if (!url) {
    url = loadImage(uri, false, message);
    url.catch(() => thumbnails.delete(uri));
    thumbnails.set(uri, url);
    while (thumbnails.size > keptThumbnails) {
      const [oldest, promise] = thumbnails.entries().next().value!;
      thumbnails.delete(oldest);
      void promise.then((u) => URL.revokeObjectURL(u), () => undefined);
    }
  }
  return url;
}

function Blurhash({ hash }: { hash: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    try {
      const pixels = decode(hash, 32, 32);
      context.putImageData(new ImageData(new Uint8ClampedArray(pixels), 32, 32), 0, 0);
    } catch {
      // Not a blurhash after all: the plain placeholder behind it shows.
    }
  }, [hash]);
  return <canvas ref={canvas} className="media-blurhash" width={32} height={32} aria-hidden="true" />;
}

function ImageDialog({ media, message, onClose }: { media: MediaInfo; message: Message; onClose(): void }) {
  const { t, i18n } = useTranslation('chat');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    dialog.current?.showModal();
    let live = true;
    let made: string | null = null;
    loadImage(media.url!, true, message).then(
      (u) => {
        made = u;
        if (live) setUrl(u);
        else URL.revokeObjectURL(u);
      },
      (e: unknown) => live && setError(mediaErrorText(t, e, media.name, i18n.language)),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [media, message, t, i18n.language]);
  return (
    <dialog ref={dialog} className="media-dialog" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <div className="media-dialog-head">
        <h2 id={titleId}>{media.name}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('media.close')}
        </button>
      </div>
      {error ? (
        <p role="alert">{error}</p>
      ) : url ? (
        <img src={url} alt={media.name} className="media-full" />
      ) : (
        <p role="status">{t('media.loading')}</p>
      )}
    </dialog>
  );
}

function InlineImage({ media, message }: { media: MediaInfo; message: Message }) {
  const { t, i18n } = useTranslation('chat');
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const box = inlineBox(media);
  useEffect(() => {
    let live = true;
    thumbnail(media.url!, message).then(
      (u) => live && setUrl(u),
      (e: unknown) => live && setError(mediaErrorText(t, e, media.name, i18n.language)),
    );
    return () => {
      live = false;
    };
    // The message only changes with the URI.
  }, [media.url, media.name, t, i18n.language]);
  if (error) return <p className="msg-file media-error">{error}</p>;
  return (
    <>
      <button type="button" className="media-inline" style={{ width: box.width, height: box.height }} onClick={() => setOpen(true)} aria-label={t('media.openFull', { name: media.name })}>
        <span className="media-placeholder" aria-hidden="true" />
        {media.blurhash && !url && <Blurhash hash={media.blurhash} />}
        {url ? <img src={url} alt={media.name} className="media-thumb" /> : <span className="visually-hidden">{t('media.loading')}</span>}
      </button>
      {open && <ImageDialog media={media} message={message} onClose={() => setOpen(false)} />}
    </>
  );
}

interface Saved {
  savedId: string;
  fileName: string;
  folder: string;
}
// What was saved, by message, so a row scrolled away and back still offers Open.
const savedFiles = new Map<string, Saved>();

function FileCard({ item, media, message }: { item: ChatItem; media: MediaInfo; message: Message }) {
  const { t, i18n } = useTranslation('chat');
  const [saved, setSaved] = useState<Saved | null>(() => savedFiles.get(item.key) ?? null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; alert: boolean } | null>(null);
  const fail = (error: unknown) => setNote({ text: mediaErrorText(t, error, media.name, i18n.language), alert: true });
  const download = async () => {
    setBusy(true);
    setNote(null);
    try {
      const result = await api().chatMedia.download({ uri: media.url!, name: media.name, ...(message ? { message } : {}) });
      savedFiles.set(item.key, result);
      setSaved(result);
      setNote({ text: t('media.saved', { name: result.fileName, folder: result.folder }), alert: false });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };
  const open = async () => {
    try {
      const result = await api().chatMedia.open({ savedId: saved!.savedId });
      setNote(result.opened ? null : { text: t('media.cannotOpenHere', { path: result.path }), alert: false });
    } catch (error) {
      fail(error);
    }
  };
  const showInFolder = async () => {
    try {
      const result = await api().chatMedia.showInFolder({ savedId: saved!.savedId });
      setNote(result.shown ? null : { text: t('media.inFolder', { folder: result.folder }), alert: false });
    } catch (error) {
      fail(error);
    }
  };
  return (
    <div className="media-file">
      <p className="msg-file">
        <span className="media-file-name">{media.name}</span>
        {media.size !== null && <span className="muted"> · {formatBytes(media.size, i18n.language)}</span>}
      </p>
      {media.url ? (
        <div className="media-file-actions">
          <button type="button" onClick={() => void download()} disabled={busy} aria-label={t('media.downloadName', { name: media.name })}>
            {busy ? t('media.downloading') : t('media.download')}
          </button>
          {saved && (
            <>
              <button type="button" onClick={() => void open()} aria-label={t('media.openName', { name: saved.fileName })}>
                {t('media.open')}
              </button>
              <button type="button" onClick={() => void showInFolder()}>
                {t('media.showInFolder')}
              </button>
            </>
          )}
        </div>
      ) : media.problem ? (
        <p className="muted">{t(`encryptedMedia.${media.problem}`)}</p>
      ) : (
        <p className="muted">{t('media.unavailable')}</p>
      )}
      {note && (note.alert ? <p role="alert" className="media-error">{note.text}</p> : <p role="status" className="hint">{note.text}</p>)}
    </div>
  );
}

/** A file, image, video or audio message's body. */
export function MediaBody({ item }: { item: ChatItem }) {
  const media = item.media;
  const message = useMessage(item);
  if (!media) return null;
  // Not on the server yet (queued): its name only.
  if (item.pending !== null || item.eventId === null) return <p className="msg-file">{media.name}</p>;
  if (media.msgtype === 'm.image' && media.url) return <InlineImage media={media} message={message} />;
  return <FileCard item={item} media={media} message={message} />;
}
