// Attaching files in the composer: an "Attach file" button (a file picker), a file dropped on
// the composer or an image pasted into it. The coop server's size limit is stated before a
// file is picked, and a file over it is refused at once. Each upload shows a progress bar and
// Cancel; a failure says what went wrong, and nothing is posted for half a file.
import { useCallback, useEffect, useId, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../api/client';
import { formatBytes } from '../data/format';
import { errorText } from '../app/error-text';
import { toErrorData } from '../store/app-slice';
import { cancelChatUpload, uploadToChat, type ChatUpload } from './media-upload';

interface UploadRow {
  key: number;
  file: File;
  fraction: number;
  handle: ChatUpload;
  error: string | null;
  /** Worth trying again (a dropped connection), unlike a file over the limit. */
  retry: boolean;
}

/** The server's limit, asked once per page (it seldom changes); null when it names none. */
let limitAsked: Promise<number | null> | null = null;
function serverLimit(): Promise<number | null> {
  limitAsked ??= api()
    .chatMedia.config({})
    .then((config) => config.maxUploadBytes)
    .catch((error: unknown) => {
      limitAsked = null;
      throw error;
    });
  return limitAsked;
}

/** The sentence for a failed file action, by the reason main gave. */
export function mediaErrorText(t: TFunction, error: unknown, name: string, language: string): string {
  const data = toErrorData(error);
  const params = data.params ?? {};
  switch (params.reason) {
    case 'too_large':
      return typeof params.max === 'number' && params.max > 0
        ? t('chat:media.errors.tooLarge', { name, size: formatBytes(Number(params.size ?? 0), language), max: formatBytes(params.max, language) })
        : t('chat:media.errors.tooLargeServer', { name });
    case 'empty':
      return t('chat:media.errors.empty', { name });
    case 'connection_dropped':
      return t('chat:media.errors.dropped', { name });
    case 'tampered':
      return t('chat:encryptedMedia.tampered', { name });
    case 'bad_encrypted_file':
      return t(`chat:encryptedMedia.${String(params.problem ?? 'not_object')}`);
    case 'signed_out':
    case 'offline':
      return t('chat:media.errors.offline', { name });
    case 'not_image':
      return t('chat:media.errors.notImage');
    case 'unsafe_type':
      return params.extension
        ? t('chat:media.errors.unsafeType', { extension: String(params.extension), folder: String(params.folder ?? '') })
        : t('chat:media.errors.noExtension', { folder: String(params.folder ?? '') });
    case 'media_missing':
      return t('chat:media.errors.missing', { name });
    default:
      return errorText(t, data);
  }
}

export function useComposerAttachments(target: { roomId: string; threadRoot?: string | undefined }) {
  const { t, i18n } = useTranslation('chat');
  const [limit, setLimit] = useState<number | null | undefined>(undefined);
  const [uploads, setUploads] = useState<UploadRow[]>([]);
  const [status, setStatus] = useState('');
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(0);
  const picker = useRef<HTMLInputElement>(null);
  const ids = { limit: useId(), picker: useId() };

  useEffect(() => {
    let live = true;
    serverLimit().then(
      (max) => live && setLimit(max),
      () => live && setLimit(undefined),
    );
    return () => {
      live = false;
    };
  }, [target.roomId]);

  const update = (key: number, change: Partial<UploadRow>) => setUploads((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const start = useCallback(
    (file: File, key = nextKey.current++) => {
      const handle: ChatUpload = { uploadId: null, cancelled: false };
      const row: UploadRow = { key, file, fraction: 0, handle, error: null, retry: false };
      setUploads((rows) => [...rows.filter((r) => r.key !== key), row]);
      setStatus('');
      // Over the server's limit: refused here at once, before a single byte goes anywhere.
      if (typeof limit === 'number' && file.size > limit) {
        update(key, { retry: false, error: t('media.errors.tooLarge', { name: file.name, size: formatBytes(file.size, i18n.language), max: formatBytes(limit, i18n.language) }) });
        return;
      }
      uploadToChat(file, target, (fraction) => update(key, { fraction }), handle).then(
        () => {
          setUploads((rows) => rows.filter((r) => r.key !== key));
          setStatus(t('media.sent', { name: file.name }));
        },
        (error: unknown) => {
          if (handle.cancelled || toErrorData(error).params?.reason === 'cancelled') {
            setUploads((rows) => rows.filter((r) => r.key !== key));
            setStatus(t('media.cancelled', { name: file.name }));
            return;
          }
          const reason = toErrorData(error).params?.reason;
          update(key, { retry: reason !== 'too_large' && reason !== 'empty' && reason !== 'encrypted', error: mediaErrorText(t, error, file.name, i18n.language) });
        },
      );
    },
    [limit, target.roomId, target.threadRoot, t, i18n.language],
  );

  const startAll = (files: Iterable<File>) => {
    for (const file of files) start(file);
  };

  const dropProps = {
    onDragOver: (event: DragEvent) => {
      if (!event.dataTransfer.types.includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: DragEvent) => {
      if (event.dataTransfer.files.length === 0) return;
      event.preventDefault();
      setDragging(false);
      startAll(event.dataTransfer.files);
    },
  };

  /** A pasted image (a screenshot) is sent as a file; pasted text stays text. */
  const onPaste = (event: ClipboardEvent) => {
    const images = [...event.clipboardData.files].filter((file) => file.type.startsWith('image/'));
    if (images.length === 0) return;
    event.preventDefault();
    startAll(images);
  };

  const limitText = limit === undefined ? null : limit === null ? t('media.noLimit') : t('media.limit', { max: formatBytes(limit, i18n.language) });

  /** The Attach button with the server's limit beside it, under the text field. */
  const tools = (
    <div className="composer-tools">
      <input
        ref={picker}
        id={ids.picker}
        type="file"
        multiple
        hidden
        data-testid="chat-file-input"
        onChange={(event) => {
          startAll([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      <button type="button" className="composer-attach" aria-describedby={limitText ? ids.limit : undefined} onClick={() => picker.current?.click()}>
        {t('media.attach')}
      </button>
      {limitText && (
        <p id={ids.limit} className="hint composer-limit">
          {limitText}
        </p>
      )}
    </div>
  );

  const panel = (
    <>
      {uploads.length > 0 && (
        <ul className="composer-uploads" aria-label={t('media.uploads')}>
          {uploads.map((row) => (
            <li key={row.key} className={row.error ? 'upload-failed' : undefined}>
              <span className="upload-name">{row.file.name}</span>
              {row.error ? (
                <>
                  <span role="alert" className="upload-error">
                    {row.error}
                  </span>
                  {row.retry && (
                    <button type="button" onClick={() => start(row.file, row.key)}>
                      {t('media.tryAgain')}
                    </button>
                  )}
                  <button type="button" onClick={() => setUploads((rows) => rows.filter((r) => r.key !== row.key))}>
                    {t('media.dismiss')}
                  </button>
                </>
              ) : (
                <>
                  <progress max={1} value={row.fraction} aria-label={t('media.uploading', { name: row.file.name })} />
                  <span className="upload-percent">{Math.round(row.fraction * 100)} %</span>
                  <button type="button" onClick={() => cancelChatUpload(row.handle)} aria-label={t('media.cancelUpload', { name: row.file.name })}>
                    {t('common:cancel')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>
    </>
  );

  return { tools, panel, dropProps, onPaste, dragging };
}
