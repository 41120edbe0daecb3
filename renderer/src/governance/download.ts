// Offers text made by the core as a file download (a Blob and a temporary link; the CSP
// allows blob:). Works the same in Electron and in the browser bridge.
import type { ExportFile } from '../../../shared/governance/views';

export function downloadFile(file: ExportFile): void {
  // A byte-order mark helps spreadsheet programs read UTF-8 CSV.
  const parts = file.mimeType.startsWith('text/csv') ? ['\ufeff', file.text] : [file.text];
  const url = URL.createObjectURL(new Blob(parts, { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
