// Set-up file of the e2e project: after each test file, every Plenary started with
// startPlenaryWeb is stopped and its temporary data folder removed, also when a test or a
// hook failed, so no `npm run start:web` outlives the file that started it.
import { afterAll } from 'vitest';
import { stopAllPlenaryWeb } from './plenary-web-process';

afterAll(async () => {
  await stopAllPlenaryWeb();
});
