// Files attached to a vote or an agenda item: share links on the coop's NextCloud, stored as
// operations so every member sees them after sync (and offline). Attaching needs NextCloud.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AttachmentSubject } from '../../../shared/governance/link-operation-types';
import { applyChange, useAction, useGovernanceQuery } from '../governance/use-governance';
import { formatBytes } from '../data/format';
import { useCloudStatus } from './cloud-settings';
import { CloudBrowser } from './cloud-browser';
import { ForumError } from './forum-error';
import './forum.css';

export function Attachments({ circleId, subject, canRemove, label, headed = true }: { circleId: string; subject: AttachmentSubject; canRemove: boolean; label: string; headed?: boolean }) {
  const { t, i18n } = useTranslation('forum');
  const links = useGovernanceQuery(() => api().forum.links({ circleId }), circleId);
  const status = useCloudStatus();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const key = JSON.stringify(subject);
  const files = links.data?.attachments.filter((a) => JSON.stringify(a.subject) === key) ?? [];
  return (
    <div className="attachments" role="group" aria-label={label}>
      {headed && <h4>{t('files.title')}</h4>}
      {files.length === 0 ? (
        <p className="muted">{t('files.none')}</p>
      ) : (
        <ul className="cloud-entries">
          {files.map((file) => (
            <li key={file.attachmentId}>
              <a href={file.url} target="_blank" rel="noreferrer noopener">
                {file.name}
              </a>{' '}
              <span className="muted">{formatBytes(file.sizeBytes, i18n.language)}</span>
              {canRemove && (
                <button
                  type="button"
                  className="link-button"
                  aria-label={t('files.remove', { name: file.name })}
                  onClick={() => void action.run(() => applyChange({ type: 'attachment.remove', circle: circleId, payload: { attachmentId: file.attachmentId } }))}
                >
                  {t('common:remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!status?.account ? (
        <p className="muted">{t('files.signInFirst')}</p>
      ) : open ? (
        <>
          <CloudBrowser
            mode="file"
            onPickFile={async (path) => {
              await api().cloud.attach({ circleId, subject, path });
              setOpen(false);
            }}
          />
          <button type="button" onClick={() => setOpen(false)}>
            {t('files.close')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          {t('files.attach')}
        </button>
      )}
      <ForumError error={action.error} />
    </div>
  );
}

/** "Save minutes to NextCloud": choose a folder, then the exported minutes are written there. */
export function SaveMinutesToCloud({ circleId, assemblyId }: { circleId: string; assemblyId: string }) {
  const { t, i18n } = useTranslation('forum');
  const status = useCloudStatus();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  if (!status?.account) return null;
  const locale = (['en', 'es', 'ca', 'fr', 'de', 'ja'] as const).find((l) => l === i18n.language) ?? 'en';
  return (
    <>
      {!open && (
        <button
          type="button"
          onClick={() => {
            setSaved(null);
            setOpen(true);
          }}
        >
          {t('files.saveMinutes')}
        </button>
      )}
      {open && (
        <div className="card" role="group" aria-label={t('files.chooseFolder')}>
          <CloudBrowser
            mode="folder"
            onPickFolder={async (folder) => {
              const entry = await api().cloud.saveMinutes({ circleId, assemblyId, folder, locale });
              setSaved(entry.path);
              setOpen(false);
            }}
          />
          <button type="button" onClick={() => setOpen(false)}>
            {t('files.close')}
          </button>
        </div>
      )}
      {saved && <span role="status">{t('files.saved', { path: saved })}</span>}
    </>
  );
}
