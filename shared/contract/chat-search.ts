// Search over the cached messages of every room the member is in (see
// shared/governance/archive-query.ts for what a query means: the same language as the
// decision archive's), and the hits grouped by room.
import { z } from 'zod';
import { call, returns } from './define';
import { searchTextSchema } from './search-text';
import type { SnippetSegment } from '../governance/archive-query';

export const chatSearchPageMax = 100;

export const chatSearchSchema = z
  .object({
    text: searchTextSchema,
    /** Only this room's messages. */
    roomId: z.string().regex(/^![^\s]+$/, 'must be a Matrix room id like !abc:server').max(255).optional(),
    limit: z.int().min(1).max(chatSearchPageMax).optional(),
  })
  .strict();

export type ChatSearchInput = z.output<typeof chatSearchSchema>;

export interface ChatSearchHit {
  roomId: string;
  eventId: string;
  /** The message's place in its room. */
  pos: number;
  /** Open the room's timeline from here (chat.timeline fromPos) to show the message with some context above it. */
  fromPos: number;
  sender: string;
  senderName: string;
  ts: number;
  /** The message's text around the match, the matching parts marked; plain text. */
  snippet: SnippetSegment[];
}

export interface ChatSearchGroup {
  roomId: string;
  /** The circle's name for a circle's room, else the room's name. */
  roomName: string;
  hits: ChatSearchHit[];
}

export interface ChatSearchResult {
  /** Rooms in the order of their newest hit; hits newest first. */
  groups: ChatSearchGroup[];
  /** More messages match than were returned. */
  more: boolean;
}

/** Groups hits (newest first) by room, rooms ordered by their newest hit. */
export function groupHitsByRoom(hits: readonly ChatSearchHit[], roomName: (roomId: string) => string): ChatSearchGroup[] {
  const groups = new Map<string, ChatSearchGroup>();
  for (const hit of hits) {
    let group = groups.get(hit.roomId);
    if (!group) {
      group = { roomId: hit.roomId, roomName: roomName(hit.roomId), hits: [] };
      groups.set(hit.roomId, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}

export const chatSearchCalls = {
  chatSearch: {
    search: call(chatSearchSchema, returns<ChatSearchResult>()),
  },
};
