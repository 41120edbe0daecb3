// One timeline row: a message (with its reply preview, reactions, pending state and
// actions), a neutral line for room changes, removed or encrypted messages, or a gap.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatItem } from '../../../shared/contract/chat';
import { SafeHtml } from './safe-html';
import { LinkifiedText } from './linkified-text';
import { PollCard } from './poll-card';
import { MediaBody } from './message-media';
import { dateFormatter } from '../app/date-formatter';

export const quickReactions = ['👍', '❤️', '😄', '🎉', '🙏', '👀'];

export interface RowActions {
  reply(item: ChatItem): void;
  edit(item: ChatItem): void;
  react(item: ChatItem, key: string): void;
  retry(txnId: string): void;
  discard(txnId: string): void;
  fillGap(item: ChatItem): void;
  /** Opens the item's thread; absent inside a thread (threads do not nest). */
  openThread?: ((item: ChatItem) => void) | undefined;
}

/** A thread root's summary: its replies, the latest one, unread replies; opens the thread. */
function ThreadSummary({ item, actions }: { item: ChatItem; actions: RowActions }) {
  const { t } = useTranslation('chat');
  const thread = item.thread!;
  return (
    <button type="button" className={`msg-thread-summary${thread.unread > 0 ? ' msg-thread-unread' : ''}`} onClick={() => actions.openThread?.(item)}>
      <span className="msg-thread-count">{t('threads.replies', { count: thread.count })}</span>
      {thread.unread > 0 && <span className="msg-thread-badge">{t('threads.unread', { count: thread.unread })}</span>}
      {thread.latestBody !== null && (
        <span className="msg-thread-latest">
          <span className="msg-sender">{thread.latestSenderName}</span> {thread.latestBody}
        </span>
      )}
    </button>
  );
}

/** Something the server refused, with what the member can do about it; the server's own words on hover. */
function Unsent({ text, detail, txnId, actions }: { text: string; detail: string | null; txnId: string; actions: RowActions }) {
  const { t } = useTranslation('chat');
  return (
    <div className="msg-status msg-failed-status" role="alert">
      <span title={detail ?? undefined}>{text}</span>
      <button type="button" onClick={() => actions.retry(txnId)}>
        {t('actions.retry')}
      </button>
      <button type="button" onClick={() => actions.discard(txnId)}>
        {t('actions.discard')}
      </button>
    </div>
  );
}

function Time({ ts }: { ts: number }) {
  const { i18n } = useTranslation();
  const date = new Date(ts);
  return (
    <time dateTime={date.toISOString()} title={dateFormatter(i18n.language, { dateStyle: 'full', timeStyle: 'short' }).format(date)}>
      {dateFormatter(i18n.language, { timeStyle: 'short' }).format(date)}
    </time>
  );
}

function GapRow({ item, online, failed, actions }: { item: ChatItem; online: boolean; failed: boolean; actions: RowActions }) {
  const { t } = useTranslation('chat');
  return (
    <div className="chat-gap">
      <span>{online ? (failed ? t('timeline.gapFailed') : t('timeline.gap')) : t('timeline.gapOffline')}</span>
      {online && (
        <button type="button" onClick={() => actions.fillGap(item)}>
          {t('timeline.loadMissing')}
        </button>
      )}
    </div>
  );
}

function ChangeLine({ item }: { item: ChatItem }) {
  const { t } = useTranslation('chat');
  const change = item.change!;
  return <div className="chat-change">{t(`change.${change.what}`, { name: item.senderName, value: change.value ?? '' })}</div>;
}

function Body({ item }: { item: ChatItem }) {
  const { t } = useTranslation('chat');
  switch (item.kind) {
    case 'redacted':
      return <p className="msg-removed">{t('timeline.removed')}</p>;
    case 'encrypted':
      // Unable to decrypt yet: why, and what the member can do (it is read again when the key comes).
      return <p className="msg-removed msg-undecryptable">{t(`e2ee.undecryptable.${item.undecryptable ?? 'missing_key'}`)}</p>;
    case 'poll':
      return <PollCard item={item} />;
    case 'file':
      return item.media ? <MediaBody item={item} /> : <p className="msg-file">{t('timeline.attachment', { name: item.body })}</p>;
    case 'emote':
      return (
        <p className="msg-emote">
          {'* '}
          {item.senderName} <LinkifiedText text={item.body} />
        </p>
      );
    default:
      return item.html ? <SafeHtml className="msg-html" html={item.html} /> : <p className="msg-plain">
          <LinkifiedText text={item.body} />
        </p>;
  }
}

/**
 * The words every message's action bar repeats, translated once per language rather than
 * seven times per row: a room's first screen draws some twenty rows at once.
 */
const actionLabelsByLanguage = new Map<string, { reply: string; replyInThread: string; edit: string; reactWith: string[] }>();

function useActionLabels() {
  const { t, i18n } = useTranslation('chat');
  let labels = actionLabelsByLanguage.get(i18n.language);
  if (!labels) {
    labels = {
      reply: t('actions.reply'),
      replyInThread: t('threads.replyInThread'),
      edit: t('actions.edit'),
      reactWith: quickReactions.slice(0, 3).map((emoji) => t('actions.reactWith', { emoji })),
    };
    actionLabelsByLanguage.set(i18n.language, labels);
  }
  return labels;
}

/** Up to `shown` names, then "and N others". */
function listNames(names: readonly string[], shown: number, more: string): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} ${more}`;
}

export const MessageRow = memo(function MessageRow({
  item,
  showHeader,
  unreadAbove,
  online,
  failedGap,
  actions,
}: {
  item: ChatItem;
  showHeader: boolean;
  unreadAbove: boolean;
  online: boolean;
  failedGap: boolean;
  actions: RowActions;
}) {
  const { t } = useTranslation('chat');
  const labels = useActionLabels();
  if (item.kind === 'gap') return <GapRow item={item} online={online} failed={failedGap} actions={actions} />;
  if (item.kind === 'change') return <ChangeLine item={item} />;
  const isMessage = item.kind === 'text' || item.kind === 'notice' || item.kind === 'emote' || item.kind === 'file';
  const sent = item.eventId !== null && item.pending === null;
  return (
    <>
      {unreadAbove && (
        <div className="chat-unread-divider" role="separator">
          <span>{t('timeline.newMessages')}</span>
        </div>
      )}
      <div className={`msg msg-${item.kind}${item.mine ? ' msg-mine' : ''}${item.mentionsMe ? ' msg-mention' : ''}${item.pending ? ` msg-${item.pending}` : ''}`}>
        {showHeader && (
          <div className="msg-head">
            <span className="msg-sender">{item.senderName}</span> <Time ts={item.ts} />
          </div>
        )}
        {item.replyTo && (
          <blockquote className="msg-reply-preview">
            <span className="msg-sender">{item.replyTo.senderName ?? t('timeline.someone')}</span> {item.replyTo.body ?? t('timeline.replyUnavailable')}
          </blockquote>
        )}
        <Body item={item} />
        {item.edited && <span className="msg-edited">{t('timeline.edited')}</span>}
        {item.pending === 'queued' && <p className="msg-status">{online ? t('timeline.sending') : t('timeline.queued')}</p>}
        {item.pending === 'held' && <p className="msg-status">{t('timeline.held')}</p>}
        {item.pending === 'failed' && item.txnId && (
          <Unsent text={t('timeline.failed', { reason: t(`timeline.failure.${item.failure ?? 'other'}`) })} detail={item.error} txnId={item.txnId} actions={actions} />
        )}
        {item.unsent.map((change) => {
          const reason = t(`timeline.failure.${change.failure}`);
          return (
            <Unsent
              key={change.txnId}
              text={change.what === 'edit' ? t('timeline.editFailed', { reason }) : t(change.what === 'reaction' ? 'timeline.reactionFailed' : 'timeline.unreactionFailed', { emoji: change.key ?? '', reason })}
              detail={change.error}
              txnId={change.txnId}
              actions={actions}
            />
          );
        })}
        {item.reactions.length > 0 && (
          <ul className="msg-reactions" aria-label={t('timeline.reactions')}>
            {item.reactions.map((r) => (
              <li key={r.key}>
                <button
                  type="button"
                  aria-pressed={r.mine}
                  aria-label={t('timeline.reaction', { emoji: r.key, n: r.count, who: r.senders.join(', ') })}
                  title={r.senders.join(', ')}
                  disabled={!sent}
                  onClick={() => actions.react(item, r.key)}
                >
                  <span aria-hidden="true">
                    {r.key} {r.count}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {item.thread && actions.openThread && <ThreadSummary item={item} actions={actions} />}
        {item.readBy.length > 0 && (
          <p className="msg-read-by" title={item.readBy.join(', ')}>
            {t('timeline.readBy', { names: listNames(item.readBy, 3, t('timeline.readByMore', { count: item.readBy.length - 3 })) })}
          </p>
        )}
        {isMessage && sent && (
          <div className="msg-actions">
            <button type="button" onClick={() => actions.reply(item)} aria-label={t('actions.replyTo', { name: item.senderName })}>
              {labels.reply}
            </button>
            {actions.openThread && (
              <button type="button" onClick={() => actions.openThread!(item)}>
                {labels.replyInThread}
              </button>
            )}
            {quickReactions.slice(0, 3).map((key, i) => (
              <button key={key} type="button" onClick={() => actions.react(item, key)} aria-label={labels.reactWith[i]}>
                <span aria-hidden="true">{key}</span>
              </button>
            ))}
            {item.mine && item.kind !== 'file' && (
              <button type="button" onClick={() => actions.edit(item)}>
                {labels.edit}
              </button>
            )}
          </div>
        )}
      </div>
    </>
  );
});
