// Which votes reach Element users as live polls, and which as lines of one results message.
//
// Under Synapse's default rate limits (rc_message: a burst of 10, then one event every 5 s)
// every event counts. A vote mirrored as a poll costs up to three: its start, the member's
// own answer, its end. A vote that was opened and closed before its poll went out (an
// assembly run offline, or closed within the upload's debounce) would only give Element
// users a poll born closed, so it is listed in one results message instead: question,
// method, result and counts, one message for all such votes of a circle in an upload. A vote
// still open gets its poll start, and Element users can answer it; answers go out only for
// members voting in their own Plenary (proxies ride in the operations); ends follow.
//
// A vote listed in a results message never gets a poll, so what is queued for it later (a
// ballot recorded after the close, a second close) has nothing to refer to: it is dropped.
//
// Order within an upload, after the operations: the results message, then the poll starts,
// then answers and ends. Pure: results-outbox.ts and poll-outbox.ts apply the plan.

export type PollEventKind = 'start' | 'response' | 'end';

export interface QueuedPollEvent {
  txnId: string;
  voteId: string;
  kind: PollEventKind;
}

export interface VotePublicationFacts {
  /** Closed by a facilitator or by its deadline. */
  closed: boolean;
  /** Its poll start is on the server (sent by this device, or seen). */
  pollKnown: boolean;
}

export interface PollPublicationFacts {
  /** The vote as this device knows it, or null when it does not (its events go as they are). */
  vote(voteId: string): VotePublicationFacts | null;
  /** Whether the vote was already listed in a results message (it has no poll, and never will). */
  listed(voteId: string): boolean;
}

export interface PollPublicationPlan {
  /** Votes listed in the results message instead of a poll, in the order they were queued. */
  summarize: string[];
  /** Queued poll events that will never go: those of the votes listed now or before (their start, answers, end). */
  replaced: string[];
  /** The poll events to send, in order: starts first, then answers and ends, each in queue order. */
  send: QueuedPollEvent[];
}

/** `queued` in queue order. */
export function planPollPublication(queued: readonly QueuedPollEvent[], facts: PollPublicationFacts): PollPublicationPlan {
  const dropped = new Set<string>();
  const summarize: string[] = [];
  for (const voteId of new Set(queued.map((e) => e.voteId))) {
    if (facts.listed(voteId)) {
      dropped.add(voteId);
      continue;
    }
    if (!queued.some((e) => e.voteId === voteId && e.kind === 'start')) continue;
    const vote = facts.vote(voteId);
    if (vote && vote.closed && !vote.pollKnown) {
      dropped.add(voteId);
      summarize.push(voteId);
    }
  }
  const replaced = queued.filter((e) => dropped.has(e.voteId)).map((e) => e.txnId);
  return { summarize, replaced, send: sendingOrder(queued.filter((e) => !dropped.has(e.voteId))) };
}

/** Poll starts first (what Element users can answer), then answers and ends; each in queue order. */
export function sendingOrder<T extends Pick<QueuedPollEvent, 'kind'>>(queued: readonly T[]): T[] {
  return [...queued.filter((e) => e.kind === 'start'), ...queued.filter((e) => e.kind !== 'start')];
}
