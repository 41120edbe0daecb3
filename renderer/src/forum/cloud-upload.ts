// Sends a file from the page to NextCloud through Plenary: the page hands it to main a chunk
// at a time (the browser bridge takes messages of at most 4 MB), then main sends it to
// NextCloud, reporting progress with cloud.upload events. `progress` gets a fraction of the
// whole: the first half is the hand-over, the second the upload to NextCloud.
import type { CloudEntry } from '../../../shared/cloud/types';
import { api } from '../api/client';
import { useCloud } from './cloud-store';

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: 32 KiB at a time stays well within it.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function uploadToCloud(file: File, folder: string, progress: (fraction: number) => void): Promise<CloudEntry> {
  const { uploadId, chunkBytes } = await api().cloud.uploadStart({ folder, name: file.name, sizeBytes: file.size });
  try {
    for (let index = 0, offset = 0; offset < file.size || index === 0; index++, offset += chunkBytes) {
      const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
      await api().cloud.uploadChunk({ uploadId, index, data: bytesToBase64(bytes) });
      progress(file.size === 0 ? 0.5 : Math.min(1, (offset + bytes.length) / file.size) / 2);
      if (file.size === 0) break;
    }
  } catch (error) {
    await api().cloud.uploadCancel({ uploadId }).catch(() => undefined);
    throw error;
  }
  const unsubscribe = useCloud.subscribe((state) => {
    const sent = state.progress[uploadId];
    if (sent && sent.total > 0) progress(0.5 + sent.sent / sent.total / 2);
  });
  try {
    const entry = await api().cloud.uploadFinish({ uploadId });
    progress(1);
    return entry;
  } finally {
    unsubscribe();
  }
}
