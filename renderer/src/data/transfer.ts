// Moves an export file from the core to a download, and an import file from the page to the
// core, a chunk at a time: the browser bridge takes messages of at most 4 MB and a whole
// store is larger. Each chunk travels as base64 inside an ordinary contract call.
import type { ExportStarted, ImportReport } from '../../../shared/contract/data';
import { api } from '../api/client';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: 32 KiB at a time stays well within it.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Builds the export in the core and fetches it; `progress` gets the fraction fetched. */
export async function fetchExport(progress: (fraction: number) => void): Promise<{ blob: Blob; started: ExportStarted }> {
  const started = await api().data.exportBegin({});
  const parts: Uint8Array<ArrayBuffer>[] = [];
  try {
    for (let index = 0; index < started.chunks; index++) {
      parts.push(fromBase64((await api().data.exportChunk({ exportId: started.exportId, index })).data));
      progress((index + 1) / started.chunks);
    }
  } finally {
    await api().data.exportEnd({ exportId: started.exportId });
  }
  return { blob: new Blob(parts, { type: 'application/gzip' }), started };
}

/** Offers a file as a download (a Blob and a temporary link; the CSP allows blob:). */
export function offerDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Sends a file to the core and imports it; `progress` gets the fraction sent. */
export async function sendImport(file: File, progress: (fraction: number) => void): Promise<ImportReport> {
  const { importId, chunkBytes } = await api().data.importBegin({ fileName: file.name.slice(0, 255) || 'export.plenary', sizeBytes: file.size });
  for (let index = 0, offset = 0; offset < file.size; index++, offset += chunkBytes) {
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    await api().data.importChunk({ importId, index, data: toBase64(bytes) });
    progress(Math.min(1, (offset + chunkBytes) / file.size));
  }
  return api().data.importEnd({ importId });
}
