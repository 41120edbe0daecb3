// The preload: the renderer's only door to main. It exposes exactly two functions on
// window.plenary, and both refuse names that are not in the contract. No Node, no
// ipcRenderer, no Electron object reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { callNames, eventNames } from '../shared/contract';
import { ipcCallChannel, ipcEventChannel, preloadGlobalName, type PlenaryTransport } from '../shared/contract/preload-api';
import type { CallOutcome } from '../shared/errors';

const calls = new Set(callNames);
const events = new Set(eventNames);

const transport: PlenaryTransport = {
  invoke(channel, input) {
    if (typeof channel !== 'string' || !calls.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `Unknown channel "${String(channel)}"` } });
    }
    return ipcRenderer.invoke(ipcCallChannel, channel, input) as Promise<CallOutcome<unknown>>;
  },
  on(listener) {
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string' && events.has(name)) listener(name, payload);
    };
    ipcRenderer.on(ipcEventChannel, handler);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel, handler);
    };
  },
};

contextBridge.exposeInMainWorld(preloadGlobalName, transport);
