// A room or join refused because its server is not on the meeting hosts allow-list: says
// which setting decides (the member's trusted hosts, or the coop's configuration), offers
// the link in the system browser (a plain new-window link: the desktop shell hands it to
// the browser) and, where the member decides and a form asks for it, trusting the host in
// one click.
import { useTranslation } from 'react-i18next';
import type { PlenaryErrorData } from '../../../shared/errors';

export interface HostRefusal {
  host: string;
  /** What trusting the host would add, e.g. https://meet.example.coop. */
  origin: string;
  decidedBy: 'coop' | 'member';
  url: string;
}

/** The refusal an error carries (main's MeetingsService.requireAllowedHost), or null for any other error. */
export function hostRefusalOf(error: PlenaryErrorData | null): HostRefusal | null {
  const p = error?.params;
  if (!p || p.reason !== 'host_not_allowed') return null;
  return { host: String(p.host ?? ''), origin: String(p.origin ?? ''), decidedBy: p.decidedBy === 'coop' ? 'coop' : 'member', url: String(p.url ?? '') };
}

export function HostRefusalText({ refusal }: { refusal: HostRefusal }) {
  const { t } = useTranslation('meetings');
  return (
    <>
      <span>{t(refusal.decidedBy === 'coop' ? 'hostRefused.coop' : 'hostRefused.member', { host: refusal.host })}</span>{' '}
      <a href={refusal.url} target="_blank" rel="noopener noreferrer">
        {t('hostRefused.openInBrowser')}
      </a>
    </>
  );
}

/** Inline, next to the form that was refused; `onTrust` adds the host and retries. */
export function HostRefusalNotice({ refusal, onTrust, id }: { refusal: HostRefusal; onTrust?: () => void; id?: string }) {
  const { t } = useTranslation('meetings');
  return (
    <div className="host-refusal field-error" role="alert" id={id}>
      <p>
        <HostRefusalText refusal={refusal} />
      </p>
      {onTrust && refusal.decidedBy === 'member' && (
        <button type="button" onClick={onTrust}>
          {t('hostRefused.trustAndAdd', { host: refusal.host })}
        </button>
      )}
    </div>
  );
}
