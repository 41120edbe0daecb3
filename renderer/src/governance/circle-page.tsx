import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import { useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { MembersSection } from './members-section';
import { DelegationSection } from './delegation-section';
import { RoomsSection } from './rooms-section';
import { ScheduleSection } from './schedule-section';
import { AssemblyListSection } from './assembly-list';
import { VoteListSection } from './vote-list';
import { ArchiveCircle } from './archive-circle';
import { RoomAuthority } from './room-authority';
import { CircleForumSection } from '../forum/circle-forum-section';

export function BackLink({ section }: { section: 'circles' | 'assemblies' | 'votes' }) {
  const { t } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  return (
    <a
      className="gov-back"
      href={formatRoute({ section, params: [] })}
      onClick={(e) => {
        e.preventDefault();
        navigate(section);
      }}
    >
      {t(`back.${section}`)}
    </a>
  );
}

export function CirclePage({ circleId }: { circleId: string }) {
  const { t } = useTranslation('governance');
  const circle = useGovernanceQuery(() => api().governance.circle({ circleId }), circleId, circleId);
  const c = circle.data;
  return (
    <section aria-labelledby="circle-title">
      <BackLink section="circles" />
      <FormError error={circle.error} />
      {!c ? (
        !circle.error && <p className="muted">{t('common:loading')}</p>
      ) : (
        <>
          <div className="gov-heading">
            <h1 id="circle-title">{c.name}</h1>
            {c.archived && <span className="badge">{t('circles.archived')}</span>}
            {c.myRole && <span className="badge soft">{t(`roles.${c.myRole}`)}</span>}
          </div>
          {c.purpose && <p className="gov-purpose">{c.purpose}</p>}
          <RoomAuthority circle={c} />
          <MembersSection circle={c} />
          <DelegationSection circle={c} />
          <RoomsSection circle={c} />
          <ScheduleSection circle={c} />
          <AssemblyListSection circle={c} />
          <VoteListSection circleId={c.id} canCreate={c.canFacilitate} headingLevel={2} />
          <CircleForumSection circle={c} />
          {c.canFacilitate && <ArchiveCircle circle={c} />}
        </>
      )}
      {c && <p className="muted gov-footnote">{t('circles.createdNote', { name: c.members.find((m) => m.member === c.createdBy)?.displayName ?? c.createdBy })}</p>}
    </section>
  );
}
