// `npm run bench [filter]`: runs every benchmark figure (or those whose module name
// contains the filter) and prints `name value unit` lines. Not part of npm test: timings
// are reported here, never asserted in tests.
import '../tests/helpers/quiet-matrix-sdk';
import { Report } from './report';
import * as ui from './figures/ui';
import * as chat from './figures/chat';
import * as meetings from './figures/meetings';
import * as sync from './figures/sync';
import * as syncAssembly from './figures/sync-assembly';
import * as syncQuarantine from './figures/sync-quarantine';
import * as governance from './figures/governance';
import * as store from './figures/store';
import * as delegation from './figures/delegation';
import * as voteReminders from './figures/vote-reminders';
import * as archive from './figures/archive';
import * as chatSearch from './figures/chat-search';
import * as chatUpload from './figures/chat-upload';
import * as crypto from './figures/crypto';
import * as chatEncryptedIndex from './figures/chat-encrypted-index';
import * as chatEncryptedFiles from './figures/chat-encrypted-files';
import * as chatEncryptedOpen from './figures/chat-encrypted-open';

const suites: Record<string, { run(report: Report): Promise<void> }> = {
  ui,
  chat,
  meetings,
  sync,
  'sync-assembly': syncAssembly,
  'sync-quarantine': syncQuarantine,
  governance,
  store,
  delegation,
  'vote-reminders': voteReminders,
  archive,
  'chat-search': chatSearch,
  'chat-upload': chatUpload,
  crypto,
  'chat-encrypted-index': chatEncryptedIndex,
  'chat-encrypted-files': chatEncryptedFiles,
  'chat-encrypted-open': chatEncryptedOpen,
};

const filter = process.argv[2];
const report = new Report();
for (const [name, suite] of Object.entries(suites)) {
  if (filter && !name.includes(filter)) continue;
  await suite.run(report);
}
report.write(import.meta.dirname);
