// Element's side of a poll, counted with matrix-js-sdk's own classes and nothing of Plenary:
// a fresh matrix-js-sdk client (what a member opening Element gets) syncs the room; the
// room's Poll model (matrix-js-sdk models/poll.ts) finds the poll, its first end Element
// accepts (its creator, or someone allowed to redact it, by server time) and the answers on
// or before that end (fetched through /relations, so redacted answers are gone); the poll
// start is read as the event now shows it, with its latest edit applied (the client applies
// the server's bundled m.replace). Each user's latest answer by server time then counts as
// Element Web counts it (element-web src/components/views/messages/MPollBody.tsx:
// collectUserVotes and countVotes): an answer that does not fit the poll, or an empty one,
// counts for nothing.
import { ClientEvent, createClient, PollEvent, SyncState, type MatrixClient, type MatrixEvent, type Poll } from 'matrix-js-sdk';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { quietSdkLogger } from './quiet-sdk-logger';

export interface ElementUser {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export interface ElementPollView {
  question: string;
  answers: { id: string; text: string }[];
  /** Votes per answer id, every answer listed. */
  counts: Record<string, number>;
  ended: boolean;
  edited: boolean;
}

async function startedClient(baseUrl: string, user: ElementUser): Promise<MatrixClient> {
  const client = createClient({ baseUrl, accessToken: user.accessToken, userId: user.userId, deviceId: user.deviceId, logger: quietSdkLogger });
  const prepared = new Promise<void>((resolve, reject) => {
    client.on(ClientEvent.Sync, (state) => {
      if (state === SyncState.Prepared) resolve();
      if (state === SyncState.Error) reject(new Error(`${user.userId}'s Element client could not sync`));
    });
  });
  await client.startClient({ initialSyncLimit: 300 });
  await prepared;
  return client;
}

async function pollOf(client: MatrixClient, roomId: string, pollId: string): Promise<Poll> {
  const room = client.getRoom(roomId);
  if (!room) throw new Error(`${client.getUserId()} is not in ${roomId}`);
  // Polls are made from the timeline as it is processed, just after the first sync.
  return (
    room.polls.get(pollId) ??
    (await new Promise<Poll>((resolve) => {
      const found = (poll: Poll) => {
        if (poll.pollId !== pollId) return;
        room.off(PollEvent.New, found);
        resolve(poll);
      };
      room.on(PollEvent.New, found);
      const already = room.polls.get(pollId);
      if (already) found(already);
    }))
  );
}

/** What Element shows of a poll right now. */
export async function elementPoll(baseUrl: string, user: ElementUser, roomId: string, pollId: string): Promise<ElementPollView> {
  const client = await startedClient(baseUrl, user);
  try {
    const poll = await pollOf(client, roomId, pollId);
    let relations = await poll.getResponses();
    while (poll.isFetchingResponses) {
      relations = await new Promise((resolve) => poll.once(PollEvent.Responses, resolve));
    }
    const start = new PollStartEvent({ type: poll.rootEvent.getType(), content: poll.rootEvent.getContent() as never });
    // Element Web's collectUserVotes: each user's answer with the latest server time.
    const latest = new Map<string, MatrixEvent>();
    for (const event of relations.getRelations()) {
      const sender = event.getSender()!;
      const other = latest.get(sender);
      if (!other || other.getTs() < event.getTs()) latest.set(sender, event);
    }
    // Element Web's countVotes: the answer validated against the poll as it shows now.
    const counts: Record<string, number> = Object.fromEntries(start.answers.map((a) => [a.id, 0]));
    for (const event of latest.values()) {
      const answers = new PollResponseEvent({ type: event.getType(), content: event.getContent() as never }).answerIds;
      const response = PollResponseEvent.from(answers, '$irrelevant');
      response.validateAgainst(start);
      if (response.spoiled) continue;
      for (const id of response.answerIds) counts[id] = (counts[id] ?? 0) + 1;
    }
    return {
      question: start.question.text,
      answers: start.answers.map((a) => ({ id: a.id, text: a.text })),
      counts,
      ended: poll.isEnded,
      edited: poll.rootEvent.replacingEvent() !== null,
    };
  } finally {
    client.stopClient();
  }
}

/** How many poll end events the room holds for a poll (any sender), straight from the server. */
export async function endEventCount(baseUrl: string, user: ElementUser, roomId: string, pollId: string): Promise<number> {
  const response = await fetch(`${baseUrl}/_matrix/client/v1/rooms/${encodeURIComponent(roomId)}/relations/${encodeURIComponent(pollId)}/m.reference/org.matrix.msc3381.poll.end?limit=100`, {
    headers: { Authorization: `Bearer ${user.accessToken}` },
  });
  if (!response.ok) throw new Error(`/relations failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { chunk: unknown[] }).chunk.length;
}
