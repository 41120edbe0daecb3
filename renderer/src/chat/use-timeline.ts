// A room's timeline as the page holds it: the newest page first, older pages from the
// cache as the member scrolls up, gaps filled from the server on demand, and a refresh of
// everything loaded whenever the core says the room changed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatItem, ChatTimeline } from '../../../shared/contract/chat';
import { api } from '../api/client';
import { usePlenary } from '../store';

export const firstPageSize = 60;
const olderPageSize = 80;

export interface TimelineState extends Omit<ChatTimeline, 'items'> {
  items: ChatItem[];
}

function oldestPos(items: ChatItem[]): number | undefined {
  return items.find((i) => i.kind !== 'gap')?.pos;
}

/**
 * The last screens of the rooms opened most recently, as Element keeps them: going back to a
 * room shows what it showed at once, while its newest page is asked for again. Only the
 * newest page is kept (a room opens at its newest message anyway), and only in this page's
 * memory, like everything else the renderer shows.
 */
const recentTimelines = new Map<string, TimelineState>();
const recentRoomLimit = 12;

function rememberTimeline(timeline: TimelineState): void {
  const trimmed = timeline.items.length > firstPageSize;
  recentTimelines.delete(timeline.roomId);
  recentTimelines.set(timeline.roomId, trimmed ? { ...timeline, items: timeline.items.slice(-firstPageSize), moreCached: true, atStart: false } : timeline);
  if (recentTimelines.size > recentRoomLimit) recentTimelines.delete(recentTimelines.keys().next().value!);
}

// Another account (or none) signed in: what the last one saw is not kept for it.
let rememberedFor = usePlenary.getState().matrixStatus?.session?.userId ?? null;
usePlenary.subscribe((state) => {
  const userId = state.matrixStatus?.session?.userId ?? null;
  if (userId === rememberedFor) return;
  rememberedFor = userId;
  recentTimelines.clear();
});

export function useTimeline(roomId: string, focus: { eventId: string; fromPos: number } | null = null) {
  // A room opened from the list starts from what it showed last time, if it was open lately.
  const [timeline, setTimeline] = useState<TimelineState | null>(() => (focus === null ? (recentTimelines.get(roomId) ?? null) : null));
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [failedGaps, setFailedGaps] = useState<ReadonlySet<string>>(new Set());
  const version = usePlenary((s) => s.timelineVersions[roomId] ?? 0);
  const online = usePlenary((s) => s.matrixStatus?.connection.status === 'online');
  const showError = usePlenary((s) => s.showError);
  const current = useRef<TimelineState | null>(null);
  current.current = timeline;
  const busy = useRef(false);

  // A search result opens the room from a little above its message, down to the newest.
  const focusFrom = focus?.fromPos;
  useEffect(() => {
    let cancelled = false;
    setTimeline(focusFrom === undefined ? (recentTimelines.get(roomId) ?? null) : null);
    api()
      .chat.timeline(focusFrom === undefined ? { roomId, limit: firstPageSize } : { roomId, fromPos: focusFrom })
      .then((t) => !cancelled && setTimeline(t), showError);
    return () => {
      cancelled = true;
    };
  }, [roomId, focusFrom, focus?.eventId, showError]);

  // The core changed something in this room: reload what is on screen. A change from before
  // the room opened is already in the first page, which is not asked for twice.
  const openedAt = useRef({ roomId, version });
  if (openedAt.current.roomId !== roomId) openedAt.current = { roomId, version };
  useEffect(() => {
    if (version === 0 || version === openedAt.current.version) return;
    let cancelled = false;
    // Before the first page is in (the room just opened), the same range as that first page.
    const from = current.current ? oldestPos(current.current.items) : focusFrom;
    api()
      .chat.timeline(from === undefined ? { roomId, limit: firstPageSize } : { roomId, fromPos: from })
      .then((t) => {
        if (!cancelled) setTimeline(t);
      }, showError);
    return () => {
      cancelled = true;
    };
  }, [roomId, version, focusFrom, showError]);

  useEffect(() => {
    if (timeline && focusFrom === undefined && timeline.roomId === roomId && !timeline.threadRoot) rememberTimeline(timeline);
  }, [timeline, roomId, focusFrom]);

  // A reconnect gives failed gaps another chance.
  useEffect(() => {
    if (online) setFailedGaps(new Set());
  }, [online]);

  const loadOlder = useCallback(async () => {
    const t = current.current;
    if (!t || busy.current || !t.moreCached) return;
    const before = oldestPos(t.items);
    if (before === undefined) return;
    busy.current = true;
    setLoadingOlder(true);
    try {
      const page = await api().chat.timeline({ roomId, beforePos: before, limit: olderPageSize });
      setTimeline((prev) => {
        if (!prev || oldestPos(prev.items) !== before) return prev;
        const known = new Set(prev.items.map((i) => i.key));
        return { ...prev, moreCached: page.moreCached, atStart: page.atStart, items: [...page.items.filter((i) => !known.has(i.key)), ...prev.items] };
      });
    } catch (error) {
      showError(error);
    } finally {
      busy.current = false;
      setLoadingOlder(false);
    }
  }, [roomId, showError]);

  /** Fetches the missing messages of a gap (the top one is history above everything). */
  const fillGap = useCallback(
    async (gap: ChatItem) => {
      if (busy.current) return;
      busy.current = true;
      setLoadingOlder(true);
      try {
        await api().chat.paginate({ roomId, gapPos: Math.ceil(gap.pos) });
      } catch {
        // Offline or refused: the gap row says so and offers to try again.
        setFailedGaps((prev) => new Set([...prev, gap.key]));
      } finally {
        busy.current = false;
        setLoadingOlder(false);
      }
    },
    [roomId],
  );

  return { timeline, loadingOlder, loadOlder, fillGap, failedGaps };
}
