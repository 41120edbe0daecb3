// When a member's role in a circle and their rights in its Matrix room disagree, other
// members' apps refuse their facilitator changes (or the circle misses a facilitator the
// room already trusts). This says so in words, names who can put it right, and lets a
// member who may change the room's rights do it in one click.
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CircleAuthority, CircleDetail } from '../../../shared/governance/views';
import { useAction } from './use-governance';
import { FormError } from './form-error';

function nameList(language: string, names: string[]): string {
  return new Intl.ListFormat(language, { type: 'disjunction' }).format(names);
}

/** A v12 room creator's level is above every number: say what it means instead. */
const isCreatorLevel = (level: number) => level >= Number.MAX_SAFE_INTEGER;

export function RoomAuthority({ circle }: { circle: CircleDetail }) {
  const { t, i18n } = useTranslation('governance');
  const action = useAction();
  const authority: CircleAuthority | null = circle.authority;
  if (!authority) return null;
  const levelText = (level: number) => (isCreatorLevel(level) ? t('authority.creator') : String(level));
  const granters = authority.granters.map((g) => g.displayName ?? g.member);
  const others = authority.mismatched;
  if (authority.agreement === 'agrees' && authority.mismatched.length === 0) return null;
  return (
    <section className="gov-authority" aria-labelledby="authority-title">
      <h2 id="authority-title">{t('authority.title')}</h2>
      {authority.agreement === 'role-without-power' && (
        <p>
          {t('authority.roleWithoutPower', { level: levelText(authority.level), needed: authority.facilitatorLevel })}{' '}
          {granters.length > 0 ? t('authority.askGranters', { names: nameList(i18n.language, granters) }) : t('authority.noGranters')}
        </p>
      )}
      {authority.agreement === 'power-without-role' && <p>{t('authority.powerWithoutRole', { level: levelText(authority.level) })}</p>}
      {others.length > 0 && (
        <>
          <p>{t('authority.mismatchedIntro')}</p>
          <ul>
            {others.map((m) => (
              <li key={m.member}>
                {m.role === 'facilitator'
                  ? t('authority.facilitatorWithoutPower', { name: m.displayName, level: levelText(m.level) })
                  : t('authority.memberWithPower', { name: m.displayName, level: levelText(m.level) })}
              </li>
            ))}
          </ul>
          {authority.canGrant ? (
            <button type="button" disabled={action.busy} onClick={() => void action.run(() => api().governance.alignRoomPower({ circleId: circle.id }))}>
              {t('authority.align')}
            </button>
          ) : (
            <p className="muted">
              {granters.length > 0 ? t('authority.onlyGranters', { names: nameList(i18n.language, granters) }) : t('authority.noGranters')}
            </p>
          )}
        </>
      )}
      <FormError error={action.error} />
    </section>
  );
}
