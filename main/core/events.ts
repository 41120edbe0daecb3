// The core's typed event bus. The Electron shell forwards events to its windows over
// IPC; the browser bridge forwards them to its sockets.
import type { EventName, EventPayloadOf } from '../../shared/contract';

export type EventListener = <E extends EventName>(name: E, payload: EventPayloadOf<E>) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // A failing subscriber (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
