// The virtualized timeline: only rows near the viewport are in the DOM, so a room with
// thousands of cached messages opens as fast as one with ten. It starts at the newest
// message, stays there as messages arrive (unless the member scrolled up), keeps the
// member's place when older messages are prepended, and asks for more near the top.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ChatItem } from '../../../shared/contract/chat';
import { MessageRow, type RowActions } from './message-row';
import { MediaRoom } from './message-media';
import type { TimelineState } from './use-timeline';

const groupWindowMs = 5 * 60 * 1000;

function showsHeader(item: ChatItem, previous: ChatItem | undefined): boolean {
  if (!previous || previous.kind === 'gap' || previous.kind === 'change') return true;
  return previous.sender !== item.sender || item.ts - previous.ts > groupWindowMs;
}

export function Timeline({
  roomName,
  timeline,
  unreadAfter,
  online,
  loadingOlder,
  failedGaps,
  loadOlder,
  actions,
  onAtBottom,
  focusEventId = null,
}: {
  roomName: string;
  timeline: TimelineState;
  /** The member's read marker when the room was opened: a divider goes below it. */
  unreadAfter: string | null;
  online: boolean;
  loadingOlder: boolean;
  failedGaps: ReadonlySet<string>;
  loadOlder(): void;
  actions: RowActions;
  onAtBottom(atBottom: boolean): void;
  /** A message to scroll to and highlight once it is loaded (a search result). */
  focusEventId?: string | null;
}) {
  const { t } = useTranslation('chat');
  const { items } = timeline;
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const previousKeys = useRef<{ first: string | null; last: string | null; count: number }>({ first: null, last: null, count: 0 });
  const anchor = useRef<{ key: string; offset: number } | null>(null);

  const unreadIndex = useMemo(() => {
    if (!unreadAfter) return -1;
    const at = items.findIndex((i) => i.eventId === unreadAfter);
    return at >= 0 && at < items.length - 1 ? at + 1 : -1;
  }, [items, unreadAfter]);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    // A vote card is taller than a line of text.
    estimateSize: (index) => (items[index]?.kind === 'poll' ? 200 : items[index]?.media?.msgtype === 'm.image' ? 300 : 64),
    overscan: 8,
    getItemKey: (index) => items[index]!.key,
    // A room opens at its newest message: the first render lays out the last rows instead of
    // the first ones and then scrolling down a frame later.
    initialOffset: () => items.reduce((total, item) => total + (item.kind === 'poll' ? 200 : item.media?.msgtype === 'm.image' ? 300 : 64), 0),
  });

  const remember = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    if (bottom !== atBottom.current) {
      atBottom.current = bottom;
      onAtBottom(bottom);
    }
    const first = virtualizer.getVirtualItems().find((v) => v.end > el.scrollTop);
    anchor.current = first ? { key: String(first.key), offset: first.start - el.scrollTop } : null;
  }, [virtualizer, onAtBottom]);

  // A search result: scroll to its message once, then let the member read on from there.
  const focused = useRef<string | null>(null);
  const focusIndex = focusEventId ? items.findIndex((i) => i.eventId === focusEventId) : -1;
  useLayoutEffect(() => {
    if (focusIndex < 0 || focused.current === focusEventId) return;
    focused.current = focusEventId;
    atBottom.current = false;
    onAtBottom(false);
    virtualizer.scrollToIndex(focusIndex, { align: 'center' });
    // Rows are measured as they render: once the message's row is there, centre it for real.
    let frames = 0;
    const settle = () => {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
      if (row) row.scrollIntoView({ block: 'center' });
      if (++frames < 10) requestAnimationFrame(settle);
    };
    requestAnimationFrame(settle);
  }, [focusIndex, focusEventId, virtualizer, onAtBottom]);

  // Keep the view where the member expects it after items changed.
  useLayoutEffect(() => {
    if (focusIndex >= 0 && previousKeys.current.count === 0) {
      previousKeys.current = { first: items[0]?.key ?? null, last: items.at(-1)?.key ?? null, count: items.length };
      return;
    }
    const before = previousKeys.current;
    const first = items[0]?.key ?? null;
    const last = items.at(-1)?.key ?? null;
    previousKeys.current = { first, last, count: items.length };
    if (items.length === 0) return;
    if (before.count === 0 || (atBottom.current && last !== before.last)) {
      virtualizer.scrollToIndex(items.length - 1, { align: 'end' });
      return;
    }
    if (first !== before.first && anchor.current) {
      // Older messages were prepended: keep the row that was at the top where it was.
      const index = items.findIndex((i) => i.key === anchor.current!.key);
      const offset = index >= 0 ? virtualizer.getOffsetForIndex(index, 'start')?.[0] : undefined;
      if (offset !== undefined) virtualizer.scrollToOffset(offset - anchor.current.offset);
    }
  }, [items, virtualizer]);

  // At the newest message, stay there while rows below take their measured height (a vote
  // card is taller than its first estimate): no scroll event says the member moved away.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !atBottom.current) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight > 2) el.scrollTop = el.scrollHeight;
  });

  // Near the top: more from the cache, or fill the gap that is showing.
  const virtualItems = virtualizer.getVirtualItems();
  const firstVisible = virtualItems[0]?.index ?? 0;
  useEffect(() => {
    if (items.length === 0 || loadingOlder) return;
    // Near the top for real: on opening, the first render starts at the top before the
    // layout effects above scroll to the newest message, which must not load older ones.
    const nearTop = (scrollRef.current?.scrollTop ?? 0) < 400;
    if (firstVisible <= 3 && nearTop && timeline.moreCached) {
      loadOlder();
      return;
    }
    const gap = virtualItems.map((v) => items[v.index]).find((i) => i?.kind === 'gap' && !failedGaps.has(i.key));
    if (gap && online) actions.fillGap(gap);
  }, [firstVisible, virtualItems, items, timeline.moreCached, loadingOlder, loadOlder, online, failedGaps, actions]);

  return (
    <div className="chat-timeline-wrap">
      {/* An overlay, so showing it does not push the messages down. */}
      {loadingOlder && <p className="chat-loading-older">{t('timeline.loadingOlder')}</p>}
      <div ref={scrollRef} className="chat-timeline" role="log" aria-label={t('timeline.label', { room: roomName })} tabIndex={0} onScroll={remember}>
        {timeline.atStart && <p className="chat-start">{t('timeline.start')}</p>}
        <div className="chat-timeline-inner" style={{ height: virtualizer.getTotalSize() }}>
          <MediaRoom.Provider value={timeline.roomId}>
          {virtualItems.map((v) => {
            const item = items[v.index]!;
            return (
              <div
                key={v.key}
                data-index={v.index}
                ref={virtualizer.measureElement}
                className={`chat-row${v.index === focusIndex ? ' chat-row-focus' : ''}`}
                aria-current={v.index === focusIndex ? 'true' : undefined}
                style={{ transform: `translateY(${v.start}px)` }}
              >
                <MessageRow
                  item={item}
                  showHeader={showsHeader(item, items[v.index - 1]) || v.index === unreadIndex}
                  unreadAbove={v.index === unreadIndex}
                  online={online}
                  failedGap={failedGaps.has(item.key)}
                  actions={actions}
                />
              </div>
            );
          })}
          </MediaRoom.Provider>
        </div>
      </div>
    </div>
  );
}
