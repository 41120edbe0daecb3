// Wires the contract to Electron IPC: one handler for every call, answering only frames
// that show Plenary's own pages, and core events forwarded to every Plenary window.
import { ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import { ipcCallChannel, ipcEventChannel } from '../../shared/contract/preload-api';
import type { Core } from '../core/app-core';
import type { Logger } from '../core/log';
import { isTrustedSender } from '../core/policy/app-window-policy';

export function registerIpc(core: Core, log: Logger): () => void {
  ipcMain.handle(ipcCallChannel, async (event: IpcMainInvokeEvent, channel: unknown, input: unknown) => {
    const frameUrl = event.senderFrame?.url;
    if (!isTrustedSender(frameUrl)) {
      log.warn('refused IPC call from an untrusted frame', { url: frameUrl ?? null, channel: String(channel).slice(0, 80) });
      return { ok: false, error: { code: 'forbidden', message: 'IPC is only answered for Plenary pages' } };
    }
    return core.dispatch(channel, input, { transport: 'ipc' });
  });

  const unsubscribe = core.events.subscribe((name, payload) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isTrustedSender(contents.getURL())) contents.send(ipcEventChannel, name, payload);
    }
  });

  return () => {
    ipcMain.removeHandler(ipcCallChannel);
    unsubscribe();
  };
}
