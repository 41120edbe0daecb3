// Starts tests/helpers/element-crypto-peer.ts in a child process (an Element-like member with
// matrix-js-sdk's Rust crypto) and talks to it in JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface CryptoPeer {
  call<T = Record<string, unknown>>(cmd: string, input?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
  /** What the peer printed on stderr (for failures). */
  stderr(): string;
}

export function startCryptoPeer(): CryptoPeer {
  const child: ChildProcess = spawn(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'tests/helpers/element-crypto-peer.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-20_000);
  });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{"id"')) return;
    const message = JSON.parse(line) as { id: number; ok: boolean; value?: unknown; error?: string };
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.ok) entry?.resolve(message.value);
    else entry?.reject(new Error(`the Element-like peer failed: ${message.error}`));
  });
  child.on('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`the Element-like peer exited (${code}): ${err.slice(-2000)}`));
    waiting.clear();
  });
  let next = 0;
  return {
    call<T>(cmd: string, input: Record<string, unknown> = {}): Promise<T> {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.stdin!.write(JSON.stringify({ id, cmd, input }) + '\n');
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    stderr: () => err,
  };
}
