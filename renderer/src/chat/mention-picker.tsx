// `@` and `#` autocomplete for the composer, keyboard first: the textarea stays focused and
// points at the highlighted option with aria-activedescendant (ARIA's combobox/listbox
// pattern, as Element's composer does); Up and Down move, Enter or Tab inserts, Escape
// closes. Which options match is decided in shared/chat/mention-autocomplete.ts.
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMemberView } from '../../../shared/contract/chat';
import {
  activeTrigger,
  filterMembers,
  filterRooms,
  insertPick,
  memberLabel,
  mentionsOutsideRoom,
  pickFor,
  picksInText,
  type PickedMention,
  type RoomOption,
  type Trigger,
} from '../../../shared/chat/mention-autocomplete';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { useChatRooms } from './use-chat-rooms';

type Option = { key: string; label: string; detail: string; pick: PickedMention };

export interface MentionPicker {
  /** Attributes for the textarea. */
  inputProps: {
    'aria-autocomplete': 'list';
    'aria-controls': string | undefined;
    'aria-activedescendant': string | undefined;
    'aria-haspopup': 'listbox';
  };
  /** Call from the textarea's change and select events with its caret. */
  track(caret: number): void;
  /** True when the key was the picker's (the composer must not act on it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** The list, the announcement, and the warning about people outside the room. */
  popup: ReactNode;
  warning: ReactNode;
  /** Id of the warning, for aria-describedby, when there is one. */
  warningId: string | null;
  /** The picks still in the text, to send with it. */
  picks(): PickedMention[];
  reset(): void;
}

export function useMentionPicker(roomId: string, text: string, setText: (value: string) => void, input: RefObject<HTMLTextAreaElement | null>): MentionPicker {
  const { t } = useTranslation('chat');
  const me = usePlenary((s) => s.matrixStatus?.session?.userId ?? null);
  const rooms = useChatRooms();
  const ids = { list: useId(), warning: useId(), status: useId() };
  const [members, setMembers] = useState<ChatMemberView[] | null>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  /** The trigger word the member closed the list on (Escape); typing on opens it again. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [picked, setPicked] = useState<PickedMention[]>([]);
  /** Where the caret goes once the text with the inserted pick is in the textarea. */
  const pendingCaret = useRef<number | null>(null);
  // In the same commit as the new text, before the browser handles the next key: placed a
  // frame later, keys typed meanwhile landed after the caret, which then jumped back before
  // them ("Thanks Bruno r the notesfo").
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    const el = input.current;
    if (at === null || !el) return;
    pendingCaret.current = null;
    el.focus();
    el.setSelectionRange(at, at);
  });

  useEffect(() => {
    let live = true;
    setMembers(null);
    api()
      .chat.members({ roomId })
      .then((list) => live && setMembers(list))
      .catch(() => live && setMembers([]));
    return () => {
      live = false;
    };
  }, [roomId]);

  const trigger: Trigger | null = caret === null ? null : activeTrigger(text, caret);
  const options: Option[] = useMemo(() => {
    if (!trigger || `${trigger.start}:${trigger.query}` === dismissed) return [];
    if (trigger.kind === '@') {
      return filterMembers(members ?? [], trigger.query, { me }).map((m) => ({ key: m.userId, label: memberLabel(m), detail: m.userId, pick: pickFor({ member: m }) }));
    }
    const roomOptions: RoomOption[] = (rooms ?? []).map((r) => ({ roomId: r.roomId, name: r.circleName ?? r.name, alias: r.alias }));
    return filterRooms(roomOptions, trigger.query).map((r) => ({ key: r.roomId, label: r.name, detail: r.alias ?? t('mentions.room'), pick: pickFor({ room: r }) }));
  }, [trigger?.kind, trigger?.query, trigger?.start, dismissed, members, rooms, me, t]);
  const open = options.length > 0;
  const index = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (i: number) => `${ids.list}-o${i}`;

  const track = useCallback((next: number) => {
    setCaret(next);
    setActive(0);
  }, []);

  const choose = (option: Option) => {
    if (!trigger || caret === null) return;
    const result = insertPick(text, trigger, caret, option.pick);
    setText(result.text);
    setPicked((list) => [...list, option.pick]);
    setCaret(result.caret);
    pendingCaret.current = result.caret;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index + step + options.length) % options.length);
      return true;
    }
    if ((event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && !event.shiftKey)) {
      event.preventDefault();
      choose(options[index]!);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(`${trigger!.start}:${trigger!.query}`);
      return true;
    }
    return false;
  };

  const outside = members === null ? [] : mentionsOutsideRoom(text, members);

  const popup = (
    <>
      {open && (
        <ul id={ids.list} role="listbox" className="mention-list" aria-label={t('mentions.listLabel')}>
          {options.map((option, i) => (
            <li
              key={option.key}
              id={optionId(i)}
              role="option"
              aria-selected={i === index}
              className={i === index ? 'active' : undefined}
              onMouseDown={(event) => {
                // Keeps the focus (and the caret) in the textarea.
                event.preventDefault();
                choose(option);
              }}
            >
              <span className="mention-label">{option.label}</span> <span className="mention-detail">{option.detail}</span>
            </li>
          ))}
        </ul>
      )}
      <p id={ids.status} className="visually-hidden" role="status">
        {open ? t('mentions.count', { count: options.length }) : ''}
      </p>
    </>
  );

  const warning =
    outside.length > 0 ? (
      <p id={ids.warning} className="hint composer-warning">
        {t('mentions.notInRoom', { count: outside.length, ids: outside.join(', ') })}
      </p>
    ) : null;

  return {
    inputProps: {
      'aria-autocomplete': 'list',
      'aria-controls': open ? ids.list : undefined,
      'aria-activedescendant': open ? optionId(index) : undefined,
      'aria-haspopup': 'listbox',
    },
    track,
    onKeyDown,
    popup,
    warning,
    warningId: outside.length > 0 ? ids.warning : null,
    picks: () => picksInText(text, picked),
    reset: () => {
      setPicked([]);
      setDismissed(null);
      setCaret(null);
    },
  };
}
