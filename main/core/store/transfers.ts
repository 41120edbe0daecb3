// Export and import files travel between the page and the core in chunks: the browser
// bridge refuses messages over 4 MB, and a whole store is larger. An export is written to a
// file in <dataDir>/transfers/ and read back a chunk at a time; an import is received a chunk
// at a time, in order, into a file there, and only read once complete. The folder holds
// nothing that must survive a restart: it is emptied when the core starts.
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PlenaryError } from '../../../shared/errors';
import { maxChunkBytes } from '../../../shared/contract/data';

interface Transfer {
  file: string;
  /** Export: the file's size. Import: the size announced at the start. */
  sizeBytes: number;
  /** Import: bytes received so far, and the index the next chunk must have. */
  received: number;
  nextIndex: number;
}

/** At most this many of each kind at once; starting another drops the oldest. */
const maxOpen = 2;

function notFound(id: string, field: 'exportId' | 'importId'): PlenaryError {
  return new PlenaryError('not_found', `No ${field === 'exportId' ? 'export' : 'import'} ${id} is open; start it again`, { field });
}

export class Transfers {
  private readonly exports = new Map<string, Transfer>();
  private readonly imports = new Map<string, Transfer>();

  constructor(private readonly dir: string) {}

  /** Removes what an earlier run left behind. */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.exports.clear();
    this.imports.clear();
  }

  private open(kind: 'export' | 'import'): { id: string; file: string } {
    mkdirSync(this.dir, { recursive: true });
    const map = kind === 'export' ? this.exports : this.imports;
    while (map.size >= maxOpen) this.drop(map, map.keys().next().value!);
    const id = randomBytes(16).toString('hex');
    return { id, file: join(this.dir, `${id}.${kind}`) };
  }

  private drop(map: Map<string, Transfer>, id: string): void {
    const transfer = map.get(id);
    if (transfer) rmSync(transfer.file, { force: true });
    map.delete(id);
  }

  /** A file name for an export being written; register it with addExport once complete. */
  exportFile(): { id: string; file: string } {
    return this.open('export');
  }

  addExport(id: string, file: string): { sizeBytes: number; chunkBytes: number; chunks: number } {
    const sizeBytes = statSync(file).size;
    this.exports.set(id, { file, sizeBytes, received: sizeBytes, nextIndex: 0 });
    return { sizeBytes, chunkBytes: maxChunkBytes, chunks: Math.max(1, Math.ceil(sizeBytes / maxChunkBytes)) };
  }

  exportChunk(id: string, index: number): string {
    const transfer = this.exports.get(id);
    if (!transfer) throw notFound(id, 'exportId');
    const start = index * maxChunkBytes;
    if (start >= transfer.sizeBytes && !(index === 0 && transfer.sizeBytes === 0)) {
      throw new PlenaryError('invalid_input', `chunk ${index} is past the end of the export`, { field: 'index' });
    }
    const length = Math.min(maxChunkBytes, transfer.sizeBytes - start);
    const buffer = Buffer.alloc(length);
    const fd = openSync(transfer.file, 'r');
    try {
      readSync(fd, buffer, 0, length, start);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('base64');
  }

  endExport(id: string): void {
    this.drop(this.exports, id);
  }

  beginImport(sizeBytes: number): { importId: string; chunkBytes: number } {
    const { id, file } = this.open('import');
    appendFileSync(file, Buffer.alloc(0));
    this.imports.set(id, { file, sizeBytes, received: 0, nextIndex: 0 });
    return { importId: id, chunkBytes: maxChunkBytes };
  }

  importChunk(id: string, index: number, base64: string): number {
    const transfer = this.imports.get(id);
    if (!transfer) throw notFound(id, 'importId');
    if (index !== transfer.nextIndex) {
      throw new PlenaryError('invalid_input', `expected chunk ${transfer.nextIndex}, received chunk ${index}`, { field: 'index' });
    }
    const bytes = Buffer.from(base64, 'base64');
    if (transfer.received + bytes.length > transfer.sizeBytes) {
      this.drop(this.imports, id);
      throw new PlenaryError('invalid_input', 'the import is larger than announced at its start', { field: 'data' });
    }
    appendFileSync(transfer.file, bytes);
    transfer.received += bytes.length;
    transfer.nextIndex++;
    return transfer.received;
  }

  /** The received file, once every byte announced has arrived; the caller removes it with endImport. */
  importedFile(id: string): string {
    const transfer = this.imports.get(id);
    if (!transfer) throw notFound(id, 'importId');
    if (transfer.received !== transfer.sizeBytes) {
      throw new PlenaryError('invalid_input', `only ${transfer.received} of ${transfer.sizeBytes} bytes arrived`, { field: 'importId' });
    }
    return transfer.file;
  }

  endImport(id: string): void {
    this.drop(this.imports, id);
  }
}
