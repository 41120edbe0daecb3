// Secrets for the browser bridge: the secrets file (sealed-file-store.ts) with values as
// they are, protected by the file's mode (0600, readable only by the user's account).
import { createLogger, type Logger } from '../log';
import { SealedFileStore } from './sealed-file-store';

export class FileSecretStore extends SealedFileStore {
  constructor(file: string, log: Logger = createLogger('secrets')) {
    super({ file, log, persistence: 'user-file' });
  }
}
