// The member's NextCloud, to pick a file (or upload one into the folder shown) or a folder.
// Everything here needs NextCloud to answer; when it cannot, the view says so.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { toErrorData } from '../store/app-slice';
import type { PlenaryErrorData } from '../../../shared/errors';
import type { CloudEntry, CloudListing } from '../../../shared/cloud/types';
import { formatBytes } from '../data/format';
import { ForumError } from './forum-error';
import { uploadToCloud } from './cloud-upload';

type Props = { mode: 'file'; onPickFile(path: string): Promise<unknown> } | { mode: 'folder'; onPickFolder(path: string): Promise<unknown> };

export function CloudBrowser(props: Props) {
  const { t, i18n } = useTranslation('forum');
  const ids = { file: useId(), title: useId(), progress: useId() };
  const [path, setPath] = useState(props.mode === 'folder' ? '/Documents' : '/');
  const [listing, setListing] = useState<CloudListing | null>(null);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<{ name: string; fraction: number } | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    api()
      .cloud.browse({ path })
      .then(
        (answer) => live && setListing(answer),
        (caught: unknown) => {
          if (!live) return;
          setListing(null);
          setError(toErrorData(caught));
          // A folder that is not there (yet): start from the home folder.
          if (path !== '/' && toErrorData(caught).params?.reason === 'cloud_not_found') setPath('/');
        },
      );
    return () => {
      live = false;
    };
  }, [path]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(toErrorData(caught));
    } finally {
      setBusy(false);
    }
  };
  const up = path === '/' ? null : path.slice(0, path.lastIndexOf('/')) || '/';
  const sendFile = (event: FormEvent) => {
    event.preventDefault();
    if (!file || props.mode !== 'file') return;
    const chosen = file;
    void act(async () => {
      setUpload({ name: chosen.name, fraction: 0 });
      try {
        const entry: CloudEntry = await uploadToCloud(chosen, path, (fraction) => setUpload({ name: chosen.name, fraction }));
        await props.onPickFile(entry.path);
        setFile(null);
      } finally {
        setUpload(null);
      }
    });
  };
  return (
    <div className="cloud-browser" role="group" aria-labelledby={ids.title}>
      <h4 id={ids.title}>{t('files.folder', { path })}</h4>
      <div className="actions">
        {up !== null && (
          <button type="button" onClick={() => setPath(up)}>
            {t('files.up')}
          </button>
        )}
        {props.mode === 'folder' && (
          <button type="button" className="primary" disabled={busy || !listing} onClick={() => void act(() => props.onPickFolder(path))}>
            {t('files.saveHere')}
          </button>
        )}
      </div>
      {listing && listing.entries.length === 0 && <p className="muted">{t('files.empty')}</p>}
      {listing && (
        <ul className="cloud-entries">
          {listing.entries
            .filter((entry) => entry.kind === 'folder' || props.mode === 'file')
            .map((entry) => (
              <li key={entry.path}>
                {entry.kind === 'folder' ? (
                  <button type="button" className="link-button" onClick={() => setPath(entry.path)} aria-label={t('files.openFolder', { name: entry.name })}>
                    {entry.name}/
                  </button>
                ) : (
                  <>
                    <span>{entry.name}</span> <span className="muted">{formatBytes(entry.sizeBytes ?? 0, i18n.language)}</span>{' '}
                    {props.mode === 'file' && (
                      <button type="button" disabled={busy} onClick={() => void act(() => props.onPickFile(entry.path))}>
                        {t('files.attachNamed', { name: entry.name })}
                      </button>
                    )}
                  </>
                )}
              </li>
            ))}
        </ul>
      )}
      {props.mode === 'file' && listing && (
        <form className="gov-inline-form" onSubmit={sendFile} aria-label={t('files.upload')}>
          <div className="field">
            <label htmlFor={ids.file}>{t('files.uploadLabel')}</label>
            <input id={ids.file} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          <div className="actions">
            <button type="submit" disabled={busy || !file}>
              {t('files.upload')}
            </button>
          </div>
        </form>
      )}
      {upload && (
        <div role="status">
          <label htmlFor={ids.progress}>{t('files.uploading', { name: upload.name, percent: Math.round(upload.fraction * 100) })}</label>
          <progress id={ids.progress} className="forum-progress" max={100} value={Math.round(upload.fraction * 100)} />
        </div>
      )}
      <ForumError error={error} />
    </div>
  );
}
