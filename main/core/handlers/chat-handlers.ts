import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

export function chatHandlers(
  core: CoreServices,
): Pick<
  Handlers,
  | 'chat.rooms'
  | 'chat.timeline'
  | 'chat.paginate'
  | 'chat.send'
  | 'chat.edit'
  | 'chat.react'
  | 'chat.retry'
  | 'chat.discard'
  | 'chat.markRead'
  | 'chat.markUnread'
  | 'chat.setTyping'
  | 'chat.invites'
  | 'chat.acceptInvite'
  | 'chat.declineInvite'
  | 'chat.members'
  | 'chat.startDirect'
  | 'chat.setNotifyLevel'
  | 'chat.keywords'
  | 'chat.addKeyword'
  | 'chat.removeKeyword'
  | 'chat.thread'
  | 'chat.markThreadRead'
> {
  const { chat } = core;
  return {
    'chat.rooms': () => chat.rooms(),
    'chat.timeline': (input) => chat.timeline(input),
    'chat.paginate': (input) => chat.paginate(input),
    'chat.send': (input) => chat.send(input),
    'chat.edit': (input) => chat.edit(input),
    'chat.react': (input) => chat.react(input),
    'chat.retry': ({ txnId }) => chat.retry(txnId),
    'chat.discard': ({ txnId }) => chat.discard(txnId),
    'chat.markRead': (input) => chat.markRead(input),
    'chat.markUnread': (input) => chat.markUnread(input),
    'chat.setTyping': (input) => chat.setTyping(input),
    'chat.invites': () => chat.invites(),
    'chat.acceptInvite': ({ roomId }) => chat.acceptInvite(roomId),
    'chat.declineInvite': ({ roomId }) => chat.declineInvite(roomId),
    'chat.members': ({ roomId }) => chat.members(roomId),
    'chat.startDirect': ({ userId }) => chat.startDirect(userId),
    'chat.setNotifyLevel': (input) => chat.setNotifyLevel(input),
    'chat.keywords': () => chat.keywords(),
    'chat.addKeyword': (input) => chat.addKeyword(input),
    'chat.removeKeyword': (input) => chat.removeKeyword(input),
    'chat.thread': (input) => chat.thread(input),
    'chat.markThreadRead': (input) => chat.markThreadRead(input),
  };
}
