// Child process of bench/figures/crypto.ts: a fresh Node process (as Plenary starting) that
// opens an existing crypto store, WebAssembly load included, and prints how long it took.
import { CryptoEngine } from '../../main/core/crypto/crypto-engine';
import { createLogger, memorySink } from '../../main/core/log';

const [storePath, userId, deviceId] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
const engine = await CryptoEngine.open({
  userId,
  deviceId,
  storePath,
  passphrase: 'bench-passphrase',
  log: createLogger('bench', memorySink().sink),
  request: () => Promise.reject(new Error('offline')),
});
const ms = performance.now() - started;
const keys = engine.keys();
await engine.close();
process.stdout.write(JSON.stringify({ ms, deviceId: keys.deviceId }) + '\n');
