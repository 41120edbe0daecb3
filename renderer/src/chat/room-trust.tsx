// A room's shield, as Element's: not encrypted, every device verified, some not, or a
// verified member's identity changed (a warning, with a way to accept the change). Its
// details list each member's devices, verified or not. The decision is the core's
// (shared/crypto/room-shield.ts); this only shows it.
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberTrustView, RoomTrustView } from '../../../shared/contract/trust';
import type { RoomShield } from '../../../shared/crypto/room-shield';
import { api, onEvent } from '../api/client';
import { usePlenary } from '../store';
import './trust.css';

const icons: Record<RoomShield, string> = { not_encrypted: '🔓', verified: '✅', some_unverified: '⚠️', identity_changed: '⛔' };

export function RoomTrust({ roomId, encrypted }: { roomId: string; encrypted: boolean }) {
  const { t } = useTranslation('chat');
  const showError = usePlenary((s) => s.showError);
  const [view, setView] = useState<RoomTrustView | null>(null);
  const listId = useId();
  const load = useCallback(() => {
    let live = true;
    api()
      .trust.room({ roomId })
      .then((next) => live && setView(next))
      .catch(() => live && setView(null));
    return () => {
      live = false;
    };
  }, [roomId]);
  // Again when the room becomes encrypted, and when someone's devices or identity change.
  useEffect(load, [load, encrypted]);
  useEffect(
    () =>
      onEvent((name) => {
        if (name === 'trust.devicesChanged' && encrypted) load();
      }),
    [load, encrypted],
  );
  const accept = (userId: string) => {
    api()
      .trust.acceptIdentityChange({ userId })
      .then(() => load(), showError);
  };
  if (!view || view.roomId !== roomId) return null;
  const changed = view.members.filter((member) => member.identityChanged);
  // Plenary verifies only the member's own sessions; other members are verified in Element.
  const unverifiedOthers = view.members.filter((member) => !member.isSelf && member.shield === 'some_unverified');
  return (
    <div className={`room-trust room-trust-${view.shield}`}>
      <p className="room-shield">
        <span aria-hidden="true">{icons[view.shield]} </span>
        {t(`roomTrust.shield.${view.shield}`)}
      </p>
      {changed.map((member) => (
        <div key={member.userId} className="room-trust-warning" role="alert">
          <p>{member.isSelf ? t('roomTrust.identityChangedSelf') : t('roomTrust.identityChanged', { user: member.userId })}</p>
          <button type="button" className="small" onClick={() => accept(member.userId)}>
            {t('roomTrust.acceptChange')}
          </button>
        </div>
      ))}
      {view.encrypted && view.members.length > 0 && (
        <details
          className="room-trust-devices"
          onToggle={(event) => {
            if ((event.currentTarget as HTMLDetailsElement).open) load();
          }}
        >
          <summary>{t('roomTrust.devicesSummary', { count: view.members.length })}</summary>
          <ul id={listId}>
            {view.members.map((member) => (
              <MemberDevices key={member.userId} member={member} />
            ))}
          </ul>
          {unverifiedOthers.length > 0 && <VerifyOthersInElement userIds={unverifiedOthers.map((member) => member.userId)} />}
        </details>
      )}
    </div>
  );
}

/** Where to verify other members: their profile in the coop's Element (Settings › Coop server). */
function VerifyOthersInElement({ userIds }: { userIds: string[] }) {
  const { t } = useTranslation('chat');
  const elementUrl = usePlenary((s) => s.matrixStatus?.elementUrl);
  if (!elementUrl) return null;
  return (
    <div className="room-trust-verify-others">
      <p className="hint">{t('roomTrust.verifyOthersHint')}</p>
      <ul>
        {userIds.map((userId) => (
          <li key={userId}>
            <a href={`${elementUrl}/#/user/${encodeURIComponent(userId)}`} target="_blank" rel="noreferrer noopener">
              {t('roomTrust.verifyInElement', { user: userId })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MemberDevices({ member }: { member: MemberTrustView }) {
  const { t } = useTranslation('chat');
  return (
    <li>
      <span className="chat-member-name">{member.userId}</span>
      {member.isSelf && <span className="muted"> {t('direct.you')}</span>}{' '}
      {/* Without devices there is nothing verified or not: "no devices" below says it. */}
      {member.devices.length > 0 && <span className="muted">— {t(`roomTrust.member.${member.shield}`)}</span>}
      {member.devices.length === 0 ? (
        <p className="muted">{t('roomTrust.noDevices')}</p>
      ) : (
        <ul>
          {member.devices.map((device) => (
            <li key={device.deviceId}>
              <code>{device.deviceId}</code>
              {device.displayName && <> ({device.displayName})</>}:{' '}
              <span className={device.verified ? 'trust-ok' : 'trust-no'}>
                <span aria-hidden="true">{device.verified ? '✅ ' : '⚠️ '}</span>
                {device.thisDevice ? t('roomTrust.device.this') : device.verified ? t('roomTrust.device.verified') : t('roomTrust.device.unverified')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
