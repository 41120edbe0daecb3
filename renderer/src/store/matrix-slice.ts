// The coop server connection as the renderer sees it: session, sync state, SSO progress.
// Kept fresh by the core's matrix.status event.
import type { StateCreator } from 'zustand';
import type { MatrixStatusView } from '../../../shared/contract/matrix';
import { api } from '../api/client';
import type { PlenaryState } from './index';

export interface MatrixSlice {
  matrixStatus: MatrixStatusView | null;
  loadMatrixStatus(): Promise<void>;
  setMatrixStatus(view: MatrixStatusView): void;
}

// The shell's status area and the chat badge both ask on start; one question answers both.
let statusInFlight: Promise<void> | null = null;

export const createMatrixSlice: StateCreator<PlenaryState, [], [], MatrixSlice> = (set) => ({
  matrixStatus: null,
  loadMatrixStatus() {
    statusInFlight ??= api()
      .matrix.status({})
      .then((matrixStatus) => set({ matrixStatus }))
      .finally(() => {
        statusInFlight = null;
      });
    return statusInFlight;
  },
  setMatrixStatus: (matrixStatus) => set({ matrixStatus }),
});
