import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleDetail, MemberView } from '../../../shared/governance/views';
import { roles, type Role } from '../../../shared/governance/operation-types';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { TextField } from '../forms/text-field';
import { FormActions } from '../forms/form-actions';
import { TimeZoneField } from './time-zone-field';
import { localTimeZone } from './format';
import { TableScroll } from '../app/table-scroll';
import { MessageMemberButton } from '../chat/room-members';
import { CircleStanding } from './standing-view';
import { dateFormatter } from '../app/date-formatter';

function MemberRow({ circle, member }: { circle: CircleDetail; member: MemberView }) {
  const { t, i18n } = useTranslation('governance');
  const me = usePlenary((s) => s.info?.localActor ?? '');
  const action = useAction();
  const roleId = useId();
  const now = dateFormatter(i18n.language, { hour: '2-digit', minute: '2-digit', timeZone: member.timezone }).format(new Date());
  const setRole = (role: Role) =>
    action.run(() => applyChange({ type: 'circle.member.set', circle: circle.id, payload: { member: member.member, displayName: member.displayName, role, timezone: member.timezone } }));
  return (
    <tr>
      <th scope="row">
        <span className="gov-name">{member.displayName}</span>
        {/* This computer's own identity becomes the member's Matrix id when they sign in (claim-identity). */}
        {isLocalMember(member.member) && member.member !== me ? (
          <div className="muted">{t('members.noAccount')}</div>
        ) : (
          <>
            <div className="muted gov-id">{member.member}</div>
            <MessageMemberButton userId={member.member} name={member.displayName} />
          </>
        )}
        <FormError error={action.error} />
        {isLocalMember(member.member) && member.member !== me && circle.canFacilitate && <LinkAccountForm circle={circle} member={member} />}
      </th>
      <td>
        {circle.canFacilitate ? (
          <>
            <label htmlFor={roleId} className="visually-hidden">
              {t('members.roleOf', { name: member.displayName })}
            </label>
            <select id={roleId} value={member.role} disabled={action.busy} onChange={(e) => void setRole(e.target.value as Role)}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {t(`roles.${role}`)}
                </option>
              ))}
            </select>
          </>
        ) : (
          t(`roles.${member.role}`)
        )}
      </td>
      <td>
        {member.timezone}
        <div className="muted">{t('members.localNow', { time: now })}</div>
      </td>
      {circle.canFacilitate && (
        <td>
          <button
            type="button"
            aria-label={t('members.removeNamed', { name: member.displayName })}
            disabled={action.busy}
            onClick={() => void action.run(() => applyChange({ type: 'circle.member.remove', circle: circle.id, payload: { member: member.member } }))}
          >
            {t('common:remove')}
          </button>
        </td>
      )}
    </tr>
  );
}

/** A member added without a Matrix account goes by a local member id until linked to one. */
const isLocalMember = (id: string) => id.startsWith('local:');

/** Links a member without an account to their Matrix account; their ballots and contributions follow it. */
function LinkAccountForm({ circle, member }: { circle: CircleDetail; member: MemberView }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [account, setAccount] = useState('');
  const ids = { account: useId(), hint: useId() };
  if (!open) {
    return (
      <button type="button" className="link-button" aria-label={t('members.linkNamed', { name: member.displayName })} onClick={() => setOpen(true)}>
        {t('members.link')}
      </button>
    );
  }
  return (
    <form
      className="gov-link-form"
      aria-label={t('members.linkNamed', { name: member.displayName })}
      onSubmit={async (e) => {
        e.preventDefault();
        if (await action.run(() => api().governance.linkMember({ circleId: circle.id, member: member.member, account: account.trim() }))) setOpen(false);
      }}
    >
      <TextField
        id={ids.account}
        label={t('members.linkAccount', { name: member.displayName })}
        code
        required
        autoFocus
        max={255}
        placeholder={t('members.matrixIdPlaceholder')}
        hint={t('members.linkHint')}
        value={account}
        onChange={setAccount}
      />
      <FormError error={action.error} />
      <FormActions submit={t('members.linkSubmit')} busy={action.busy} onCancel={() => setOpen(false)} />
    </form>
  );
}

function AddMemberForm({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const empty = { member: '', displayName: '', role: 'member' as Role, timezone: localTimeZone() };
  const [form, setForm] = useState(empty);
  const ids = { member: useId(), displayName: useId(), role: useId(), timezone: useId(), hint: useId() };
  return (
    <form
      className="gov-inline-form"
      aria-label={t('members.add')}
      onSubmit={async (e) => {
        e.preventDefault();
        // No Matrix account (yet): the member gets a local member id, linkable to an account later.
        const member = form.member.trim() || `local:${crypto.randomUUID()}`;
        const done = await action.run(() => applyChange({ type: 'circle.member.set', circle: circle.id, payload: { ...form, displayName: form.displayName.trim(), member } }));
        if (done) setForm(empty);
      }}
    >
      <h3>{t('members.add')}</h3>
      <TextField id={ids.displayName} label={t('members.displayName')} required max={120} value={form.displayName} onChange={(displayName) => setForm({ ...form, displayName })} />
      <TextField
        id={ids.member}
        label={t('members.matrixId')}
        code
        max={255}
        placeholder={t('members.matrixIdPlaceholder')}
        hint={t('members.matrixIdHint')}
        value={form.member}
        onChange={(member) => setForm({ ...form, member })}
      />
      <div className="field">
        <label htmlFor={ids.role}>{t('members.role')}</label>
        <select id={ids.role} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.timezone}>{t('members.timezone')}</label>
        <TimeZoneField id={ids.timezone} value={form.timezone} onChange={(timezone) => setForm({ ...form, timezone })} />
      </div>
      <FormError error={action.error} />
      <FormActions submit={t('members.addSubmit')} busy={action.busy} />
    </form>
  );
}

export function MembersSection({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">{t('members.title', { count: circle.members.length })}</h2>
      {circle.members.length === 0 ? (
        <p className="muted">{t('members.none')}</p>
      ) : (
        <TableScroll label={t('members.title', { count: circle.members.length })}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('members.name')}</th>
              <th scope="col">{t('members.role')}</th>
              <th scope="col">{t('members.timezone')}</th>
              {circle.canFacilitate && (
                <th scope="col">
                  <span className="visually-hidden">{t('members.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {circle.members.map((member) => (
              <MemberRow key={member.member} circle={circle} member={member} />
            ))}
          </tbody>
        </table>
        </TableScroll>
      )}
      <CircleStanding circle={circle} />
      {circle.canFacilitate && <AddMemberForm circle={circle} />}
    </section>
  );
}
