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

export const createMatrixSlice: StateCreator<PlenaryState, [], [], MatrixSlice> = (set) => ({
  matrixStatus: null,
  async loadMatrixStatus() {
    set({ matrixStatus: await api().matrix.status({}) });
  },
  setMatrixStatus: (matrixStatus) => set({ matrixStatus }),
});
