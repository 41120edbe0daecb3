// The one IPC contract between the renderer and main. Each domain owns a file here;
// this index only merges them. Adding a call: declare it in its domain file, implement
// one handler in main/core/handlers, use it from the renderer through `api`.
import { flattenCalls, type EventPayload, type FlatCalls } from './define';
import { appCalls, appEvents } from './app';
import { matrixCalls, matrixEvents } from './matrix';
import { syncCalls, syncEvents } from './sync';
import { chatCalls, chatEvents } from './chat';
import { meetingsCalls, meetingsEvents } from './meetings';
import { coopCalls } from './coop';
import { governanceCalls, governanceEvents } from './governance';
import { dataCalls, dataEvents } from './data';
import { forumCalls, forumEvents } from './forum';
import { cloudCalls, cloudEvents } from './cloud';
import { archiveCalls } from './archive';
import { chatSearchCalls } from './chat-search';
import { standingCalls } from './standing';
import { chatMediaCalls, chatMediaEvents } from './chat-media';
import { verificationCalls, verificationEvents } from './verification';
import { trustCalls, trustEvents } from './trust';

export const contract = {
  ...appCalls,
  ...matrixCalls,
  ...syncCalls,
  ...chatCalls,
  ...meetingsCalls,
  ...coopCalls,
  ...governanceCalls,
  ...dataCalls,
  ...forumCalls,
  ...cloudCalls,
  ...archiveCalls,
  ...chatSearchCalls,
  ...standingCalls,
  ...chatMediaCalls,
  ...verificationCalls,
  ...trustCalls,
};

export const events = {
  ...appEvents,
  ...matrixEvents,
  ...syncEvents,
  ...chatEvents,
  ...meetingsEvents,
  ...governanceEvents,
  ...dataEvents,
  ...forumEvents,
  ...cloudEvents,
  ...chatMediaEvents,
  ...verificationEvents,
  ...trustEvents,
};

export type Contract = typeof contract;
export type Calls = FlatCalls<Contract>;
export type CallName = keyof Calls & string;
export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayloadOf<E extends EventName> = EventPayload<Events[E]>;

export const callSpecs = flattenCalls(contract);
export const callNames: readonly string[] = [...callSpecs.keys()];
export const eventNames: readonly string[] = Object.keys(events);

export * from './define';
