// Writing in a room: Markdown text, Enter to send and Shift+Enter for a new line, with
// reply and edit modes; Up in an empty composer edits the member's last message, as in
// Element. The draft is kept per room while Plenary runs. What is sent goes through main's
// outbox, so it works offline.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatItem } from '../../../shared/contract/chat';
import { maxMessageChars } from '../../../shared/contract/chat';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { useMentionPicker } from './mention-picker';
import { useComposerAttachments } from './composer-attach';

/** How often a member still typing asks the core to renew the notice (it renews at most every 10 s). */
const typingRenewMs = 5000;

export type ComposerMode = { kind: 'new' } | { kind: 'reply'; item: ChatItem } | { kind: 'edit'; item: ChatItem };

export function Composer({
  roomId,
  roomName,
  mode,
  onDone,
  onEditLast,
  threadRoot,
}: {
  roomId: string;
  /** Writing in this thread: replies go to it (m.thread), and the draft is the thread's own. */
  threadRoot?: string | undefined;
  roomName: string;
  mode: ComposerMode;
  onDone(): void;
  /** Up in an empty composer: edit the member's newest message, if there is one. */
  onEditLast(): void;
}) {
  const { t } = useTranslation('chat');
  const showError = usePlenary((s) => s.showError);
  const setDraft = usePlenary((s) => s.setChatDraft);
  const ids = { text: useId(), hint: useId() };
  const draftKey = threadRoot ? `${roomId}|${threadRoot}` : roomId;
  const [text, setText] = useState(() => usePlenary.getState().chatDrafts[draftKey] ?? '');
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useMentionPicker(roomId, text, (value) => change(value), input);
  const attach = useComposerAttachments({ roomId, threadRoot });

  // A layout effect, so the composer never paints the new mode with the old text in it.
  useLayoutEffect(() => {
    // Editing shows the message; leaving the edit brings back what was being written.
    setText(mode.kind === 'edit' ? mode.item.body : (usePlenary.getState().chatDrafts[draftKey] ?? ''));
    if (mode.kind !== 'new') input.current?.focus();
  }, [mode, draftKey]);

  // Typing notices, as Element sends them: on while there is text being written, off once it
  // is sent, cleared or left. The core renews them at most every few seconds.
  const typingSince = useRef<number | null>(null);
  const announceTyping = useCallback(
    (typing: boolean) => {
      const now = Date.now();
      if (typing ? typingSince.current !== null && now - typingSince.current < typingRenewMs : typingSince.current === null) return;
      typingSince.current = typing ? now : null;
      api()
        .chat.setTyping({ roomId, typing })
        .catch(() => undefined);
    },
    [roomId],
  );
  useEffect(() => () => announceTyping(false), [announceTyping]);

  const change = (value: string) => {
    setText(value);
    if (mode.kind !== 'edit') setDraft(draftKey, value);
    announceTyping(value.trim() !== '');
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const value = text.trim();
    if (value === '') return;
    try {
      if (mode.kind === 'edit' && mode.item.eventId) {
        await api().chat.edit({ roomId, eventId: mode.item.eventId, text: value });
      } else {
        const mentions = picker.picks();
        await api().chat.send({
          roomId,
          text: value,
          ...(mode.kind === 'reply' && mode.item.eventId ? { replyTo: mode.item.eventId } : {}),
          ...(threadRoot ? { threadRoot } : {}),
          ...(mentions.length > 0 ? { mentions } : {}),
        });
      }
      picker.reset();
      setText('');
      if (mode.kind !== 'edit') setDraft(draftKey, '');
      announceTyping(false);
      onDone();
    } catch (error) {
      showError(error);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (picker.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && mode.kind !== 'new') {
      event.preventDefault();
      onDone();
    } else if (event.key === 'ArrowUp' && mode.kind === 'new' && text === '' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      onEditLast();
    }
  };

  return (
    <form className={`chat-composer${attach.dragging ? ' composer-dragging' : ''}`} onSubmit={(e) => void submit(e)} {...attach.dropProps}>
      {mode.kind !== 'new' && (
        <div className="composer-context">
          <span>
            {mode.kind === 'reply'
              ? t('composer.replyingTo', { name: mode.item.senderName, text: mode.item.body.slice(0, 120) })
              : t('composer.editing')}
          </span>
          <button
            type="button"
            onClick={() => onDone()}
          >
            {t('common:cancel')}
          </button>
        </div>
      )}
      <div className="composer-row">
        <label htmlFor={ids.text} className="visually-hidden">
          {t('composer.label', { room: roomName })}
        </label>
        <textarea
          id={ids.text}
          ref={input}
          rows={2}
          value={text}
          maxLength={maxMessageChars}
          placeholder={t('composer.placeholder', { room: roomName })}
          aria-describedby={picker.warningId ? `${picker.warningId} ${ids.hint}` : ids.hint}
          {...picker.inputProps}
          onChange={(e) => {
            change(e.target.value);
            picker.track(e.target.selectionStart);
          }}
          onSelect={(e) => picker.track(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={attach.onPaste}
        />
        <button type="submit" className="primary" disabled={text.trim() === ''}>
          {mode.kind === 'edit' ? t('composer.save') : t('composer.send')}
        </button>
      </div>
      {picker.popup}
      {picker.warning}
      {mode.kind === 'new' && attach.tools}
      {attach.panel}
      <p id={ids.hint} className="hint">
        {t('composer.hint')}
      </p>
    </form>
  );
}
