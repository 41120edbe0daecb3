// The agenda in assembly mode: items in order, minutes per item in Markdown, and the
// motions put to the vote on each item, run right there.
import { memo, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import { maxMarkdownLength, maxTimeboxMinutes } from '../../../shared/governance/operation-types';
import type { PlenaryErrorData } from '../../../shared/errors';
import { toErrorData } from '../store/app-slice';
import { MarkdownView } from './markdown-view';
import { CharCount } from '../forms/char-count';
import { TextField } from '../forms/text-field';
import { formatTime } from './format';
import { ItemTimer } from './item-timer';
import type { AgendaItemView, AssemblyDetail } from '../../../shared/governance/views';
import { api } from '../api/client';
import { applyChange, useAction, useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { VoteCreateForm } from './vote-create-form';
import { VotePanel } from './vote-panel';
import { Attachments } from '../forum/attachments';

/** How long typing pauses before the draft is written to this computer's store. */
const draftDelayMs = 400;

type MinutesStatus = 'saved' | 'saving' | 'draft';

/**
 * Minutes of one item. What is typed is kept as a draft on this computer a moment after
 * each keystroke (so a click elsewhere, a reload or a restart loses nothing) and becomes
 * the item's minutes when the facilitator leaves the field, presses Ctrl+Enter or Save,
 * or closes the assembly.
 */
function MinutesEditor({ assembly, item, editable }: { assembly: AssemblyDetail; item: AgendaItemView; editable: boolean }) {
  const { t, i18n } = useTranslation('governance');
  const action = useAction();
  const [text, setText] = useState(item.draft?.markdown ?? item.minutes);
  const [status, setStatus] = useState<MinutesStatus>(item.draft ? 'draft' : 'saved');
  const [savedAt, setSavedAt] = useState<number | null>(item.draft?.savedAt ?? null);
  const [draftError, setDraftError] = useState<PlenaryErrorData | null>(null);
  const latest = useRef(text);
  /** Typed here and not yet the item's minutes. */
  const dirty = useRef(item.draft !== null);
  const timer = useRef<number | null>(null);
  const where = { circleId: assembly.circle, assemblyId: assembly.id, itemId: item.itemId };
  const whereRef = useRef(where);
  whereRef.current = where;
  const id = useId();
  const hint = useId();
  const statusId = useId();

  // Minutes changed elsewhere (or just published from here) show when nothing typed here waits.
  useEffect(() => {
    if (dirty.current) return;
    latest.current = item.minutes;
    setText(item.minutes);
    setStatus('saved');
  }, [item.minutes]);

  const saveDraft = useCallback(async () => {
    timer.current = null;
    const markdown = latest.current;
    try {
      const saved = await api().governance.saveMinutesDraft({ ...whereRef.current, markdown });
      setDraftError(null);
      if (latest.current === markdown) {
        setSavedAt(saved.savedAt);
        setStatus('draft');
      }
    } catch (error) {
      setDraftError(toErrorData(error));
    }
  }, []);

  // Leaving the view with a keystroke not yet kept: keep it now.
  useEffect(() => {
    const flush = () => {
      if (timer.current !== null) {
        window.clearTimeout(timer.current);
        void saveDraft();
      }
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [saveDraft]);

  const publish = async () => {
    if (!dirty.current) return;
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    const markdown = latest.current;
    setStatus('saving');
    const done = await action.run(() => applyChange({ type: 'assembly.minutes.set', circle: assembly.circle, payload: { assemblyId: assembly.id, itemId: item.itemId, markdown } }));
    if (latest.current !== markdown) return; // more was typed meanwhile: its draft save follows
    if (done) {
      dirty.current = false;
      setStatus('saved');
    } else void saveDraft();
  };

  if (!editable) {
    return item.minutes ? <MarkdownView text={item.minutes} className="gov-minutes-text" /> : <p className="muted">{t('agenda.noMinutes')}</p>;
  }
  const statusText =
    status === 'saving'
      ? t('agenda.saving')
      : status === 'draft'
        ? t('agenda.draftSaved', { time: savedAt === null ? '' : formatTime(savedAt, i18n.language) })
        : text === ''
          ? ''
          : t('agenda.minutesStored');
  return (
    <form
      className="gov-minutes"
      onSubmit={(e) => {
        e.preventDefault();
        void publish();
      }}
    >
      <label htmlFor={id}>{t('agenda.minutesFor', { title: item.title })}</label>
      <textarea
        id={id}
        aria-describedby={`${hint} ${statusId}`}
        maxLength={maxMarkdownLength}
        value={text}
        onChange={(e) => {
          const value = e.target.value;
          latest.current = value;
          dirty.current = true;
          setText(value);
          setStatus('saving');
          if (timer.current !== null) window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => void saveDraft(), draftDelayMs);
        }}
        onBlur={() => void publish()}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter saves without leaving the keyboard.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <div className="gov-field-foot">
        <p className="hint" id={hint}>
          {t('agenda.minutesHint')}
        </p>
        <CharCount value={text} max={maxMarkdownLength} />
      </div>
      <p className="gov-save-status" id={statusId} role="status">
        {statusText}
      </p>
      {item.draft?.changedElsewhere && dirty.current && <p className="hint">{t('agenda.changedElsewhere')}</p>}
      <FormError error={draftError ?? action.error} />
      <div className="actions">
        <button type="submit" disabled={action.busy || status === 'saved'}>
          {status === 'saved' ? t('agenda.minutesSaved') : t('agenda.saveMinutes')}
        </button>
      </div>
    </form>
  );
}

/** An item as agenda.set writes it: every field, since the operation replaces them all. */
const itemPayload = (assembly: AssemblyDetail, item: AgendaItemView) => ({
  assemblyId: assembly.id,
  itemId: item.itemId,
  title: item.title,
  position: item.position,
  ...(item.timeboxMinutes !== null ? { timeboxMinutes: item.timeboxMinutes } : {}),
});

/** The item's timebox, changed in place (saved when the field is left). */
function TimeboxField({ assembly, item, headingId }: { assembly: AssemblyDetail; item: AgendaItemView; headingId: string }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [value, setValue] = useState(item.timeboxMinutes === null ? '' : String(item.timeboxMinutes));
  useEffect(() => setValue(item.timeboxMinutes === null ? '' : String(item.timeboxMinutes)), [item.timeboxMinutes]);
  const id = useId();
  const save = () => {
    const minutes = value === '' ? null : Math.floor(Number(value));
    if (minutes === item.timeboxMinutes || (minutes !== null && !(minutes >= 1 && minutes <= maxTimeboxMinutes))) return;
    const payload = { assemblyId: assembly.id, itemId: item.itemId, title: item.title, position: item.position, ...(minutes !== null ? { timeboxMinutes: minutes } : {}) };
    void action.run(() => applyChange({ type: 'assembly.agenda.set', circle: assembly.circle, payload }));
  };
  return (
    <span className="gov-timebox-field">
      <label htmlFor={id} id={`${id}-label`}>
        {t('agenda.timeboxShort')}
      </label>
      <input
        id={id}
        aria-labelledby={`${id}-label ${headingId}`}
        type="number"
        min={1}
        max={maxTimeboxMinutes}
        step={1}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), save())}
      />
      <FormError error={action.error} />
    </span>
  );
}

interface ItemProps {
  assembly: AssemblyDetail;
  item: AgendaItemView;
  index: number;
}

/** The votes shown under an item: its decisions and the motions put on it. */
const itemVotes = (assembly: AssemblyDetail, item: AgendaItemView) => [...new Set([...item.decisions, ...assembly.votes.filter((v) => v.itemId === item.itemId).map((v) => v.id)])];

/** What an item shows, so a reload that changed something else leaves it alone. */
function sameItem(a: ItemProps, b: ItemProps): boolean {
  const [x, y] = [a.item, b.item];
  return (
    a.index === b.index &&
    x.itemId === y.itemId &&
    x.title === y.title &&
    x.position === y.position &&
    x.minutes === y.minutes &&
    x.timeboxMinutes === y.timeboxMinutes &&
    (a.assembly.currentItem?.itemId === x.itemId ? a.assembly.currentItem.since : null) === (b.assembly.currentItem?.itemId === y.itemId ? b.assembly.currentItem.since : null) &&
    (a.assembly.agenda[a.index + 1]?.itemId ?? null) === (b.assembly.agenda[b.index + 1]?.itemId ?? null) &&
    x.draft?.markdown === y.draft?.markdown &&
    x.draft?.changedElsewhere === y.draft?.changedElsewhere &&
    a.assembly.circle === b.assembly.circle &&
    a.assembly.id === b.assembly.id &&
    a.assembly.canFacilitate === b.assembly.canFacilitate &&
    a.assembly.status === b.assembly.status &&
    a.assembly.agenda.map((i) => `${i.itemId}:${i.position}`).join() === b.assembly.agenda.map((i) => `${i.itemId}:${i.position}`).join() &&
    itemVotes(a.assembly, x).join() === itemVotes(b.assembly, y).join()
  );
}

const AgendaItem = memo(function AgendaItem({ assembly, item, index }: ItemProps) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [voting, setVoting] = useState(false);
  const [linking, setLinking] = useState(false);
  const editable = assembly.canFacilitate && assembly.status !== 'closed';
  const items = assembly.agenda;
  const votes = itemVotes(assembly, item);
  const move = (by: -1 | 1) =>
    action.run(async () => {
      const order = [...items];
      [order[index], order[index + by]] = [order[index + by]!, order[index]!];
      // Positions become the new indices; only items whose position changes are written.
      for (const [position, target] of order.entries()) {
        if (target.position === position) continue;
        await applyChange({ type: 'assembly.agenda.set', circle: assembly.circle, payload: { ...itemPayload(assembly, target), position } });
      }
    });
  const headingId = useId();
  const current = assembly.currentItem?.itemId === item.itemId ? assembly.currentItem : null;
  const inSession = assembly.status === 'open';
  const next = items[index + 1];
  const makeCurrent = (itemId: string | null) => action.run(() => applyChange({ type: 'assembly.agenda.current', circle: assembly.circle, payload: { assemblyId: assembly.id, itemId } }));
  return (
    <li className={current ? 'gov-agenda-item current' : 'gov-agenda-item'} aria-current={current ? 'step' : undefined}>
      <div className="gov-heading">
        <h3 id={headingId}>{t('agenda.itemTitle', { number: index + 1, title: item.title })}</h3>
        {current && <span className="badge current">{t('agenda.now')}</span>}
        {!editable && item.timeboxMinutes !== null && <span className="muted">{t('agenda.timebox', { count: item.timeboxMinutes })}</span>}
        {editable && (
          <div className="gov-item-tools">
            <TimeboxField assembly={assembly} item={item} headingId={headingId} />
            {inSession && !current && (
              <button type="button" disabled={action.busy} onClick={() => void makeCurrent(item.itemId)}>
                {t('agenda.start')}
              </button>
            )}
            {inSession && current && (
              <button type="button" className="primary" disabled={action.busy} onClick={() => void makeCurrent(next?.itemId ?? null)}>
                {next ? t('agenda.next') : t('agenda.finish')}
              </button>
            )}
            <button
              type="button"
              disabled={index === 0 || action.busy}
              aria-label={t('agenda.moveUp', { title: item.title })}
              title={t('agenda.moveUp', { title: item.title })}
              onClick={() => void move(-1)}
            >
              <span aria-hidden="true">{t('agenda.up')}</span>
            </button>
            <button
              type="button"
              disabled={index === items.length - 1 || action.busy}
              aria-label={t('agenda.moveDown', { title: item.title })}
              title={t('agenda.moveDown', { title: item.title })}
              onClick={() => void move(1)}
            >
              <span aria-hidden="true">{t('agenda.down')}</span>
            </button>
            <button
              type="button"
              aria-label={t('agenda.removeNamed', { title: item.title })}
              onClick={() => void action.run(() => applyChange({ type: 'assembly.agenda.remove', circle: assembly.circle, payload: { assemblyId: assembly.id, itemId: item.itemId } }))}
            >
              {t('common:remove')}
            </button>
          </div>
        )}
      </div>
      {current && <ItemTimer since={current.since} timeboxMinutes={item.timeboxMinutes} title={item.title} />}
      <FormError error={action.error} />
      <MinutesEditor assembly={assembly} item={item} editable={editable} />
      <Attachments circleId={assembly.circle} subject={{ kind: 'agenda', assemblyId: assembly.id, itemId: item.itemId }} canRemove={assembly.canFacilitate} label={t('forum:files.forItem', { title: item.title })} />
      {votes.map((voteId) => (
        <VotePanel key={voteId} circleId={assembly.circle} voteId={voteId} />
      ))}
      {editable && linking && <LinkDecisionForm assembly={assembly} item={item} linked={votes} onDone={() => setLinking(false)} />}
      {editable &&
        (voting ? (
          <VoteCreateForm circleId={assembly.circle} assemblyId={assembly.id} itemId={item.itemId} onCreated={() => setVoting(false)} onCancel={() => setVoting(false)} />
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setVoting(true)}>
              {t('agenda.putToVote')}
            </button>
            {!linking && (
              <button type="button" onClick={() => setLinking(true)}>
                {t('agenda.linkDecisionOpen')}
              </button>
            )}
          </div>
        ))}
    </li>
  );
}, sameItem);

/**
 * Links a vote already put in the circle (outside any assembly, or in this one) to the item
 * as its decision, so it appears under the item and in the minutes.
 */
function LinkDecisionForm({ assembly, item, linked, onDone }: { assembly: AssemblyDetail; item: AgendaItemView; linked: readonly string[]; onDone(): void }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [voteId, setVoteId] = useState('');
  const id = useId();
  // Loaded only when asked for: the circle's votes are many, and the agenda has many items.
  const circleVotes = useGovernanceQuery(() => api().governance.votes({ circleId: assembly.circle }), `${assembly.circle}/votes`, assembly.circle);
  const candidates = (circleVotes.data ?? []).filter((v) => !linked.includes(v.id) && (v.assemblyId === null || v.assemblyId === assembly.id));
  if (circleVotes.data && candidates.length === 0) {
    return (
      <div className="gov-inline-form">
        <p className="muted">{t('agenda.noVotesToLink')}</p>
        <button type="button" onClick={onDone}>
          {t('common:close')}
        </button>
      </div>
    );
  }
  return (
    <form
      className="gov-inline-form"
      aria-label={t('agenda.linkDecision')}
      onSubmit={async (e) => {
        e.preventDefault();
        if (!voteId) return;
        const done = await action.run(() => applyChange({ type: 'assembly.decision.link', circle: assembly.circle, payload: { assemblyId: assembly.id, itemId: item.itemId, voteId } }));
        if (done) onDone();
      }}
    >
      <label htmlFor={id}>{t('agenda.linkVoteLabel', { title: item.title })}</label>
      <select id={id} required value={voteId} onChange={(e) => setVoteId(e.target.value)}>
        <option value="">{t('agenda.chooseVote')}</option>
        {candidates.map((v) => (
          <option key={v.id} value={v.id}>
            {v.question}
          </option>
        ))}
      </select>
      <button type="submit" disabled={action.busy || !voteId}>
        {t('agenda.link')}
      </button>
      <button type="button" onClick={onDone}>
        {t('common:cancel')}
      </button>
      <FormError error={action.error} />
    </form>
  );
}

function AddItemForm({ assembly }: { assembly: AssemblyDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [title, setTitle] = useState('');
  const [timebox, setTimebox] = useState('');
  const id = useId();
  const timeboxId = useId();
  const position = assembly.agenda.reduce((max, i) => Math.max(max, i.position + 1), 0);
  const minutes = timebox === '' ? null : Math.floor(Number(timebox));
  return (
    <form
      className="gov-inline-form gov-add-item"
      aria-label={t('agenda.add')}
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await action.run(() =>
          applyChange({
            type: 'assembly.agenda.set',
            circle: assembly.circle,
            payload: { assemblyId: assembly.id, itemId: newId(), title: title.trim(), position, ...(minutes !== null ? { timeboxMinutes: minutes } : {}) },
          }),
        );
        if (done) {
          setTitle('');
          setTimebox('');
        }
      }}
    >
      <TextField id={id} label={t('agenda.newItem')} required max={200} value={title} onChange={setTitle} />
      <div className="field gov-timebox-new">
        <label htmlFor={timeboxId}>{t('agenda.timeboxNew')}</label>
        <input id={timeboxId} type="number" min={1} max={maxTimeboxMinutes} step={1} value={timebox} onChange={(e) => setTimebox(e.target.value)} />
      </div>
      <button type="submit" disabled={action.busy}>
        {t('agenda.add')}
      </button>
      <FormError error={action.error} />
    </form>
  );
}

export function AgendaSection({ assembly }: { assembly: AssemblyDetail }) {
  const { t } = useTranslation('governance');
  const editable = assembly.canFacilitate && assembly.status !== 'closed';
  const items = assembly.agenda;
  return (
    <section className="card" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{t('agenda.title')}</h2>
      {items.length === 0 && <p className="muted">{t('agenda.empty')}</p>}
      <ol className="gov-agenda">
        {items.map((item, index) => (
          <AgendaItem key={item.itemId} assembly={assembly} item={item} index={index} />
        ))}
      </ol>
      {editable && <AddItemForm assembly={assembly} />}
    </section>
  );
}
