// A loopback TCP proxy in front of a test server, to simulate a flaky or absent network
// without touching the server: pass traffic through, pause it (connections hang), drop it
// (new connections are refused at once and open ones are cut), delay it, or reset the
// connections that are open right now.
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'pause' | 'drop';

export class TcpProxy {
  private mode: ProxyMode = 'pass';
  /** Bytes forwarded from clients to the server, and back (for "bytes on the wire" figures). */
  bytesUp = 0;
  bytesDown = 0;
  private delayMs = 0;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null; held: Buffer[] }>();
  private readonly waiting = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  /** Starts a proxy on a free 127.0.0.1 port forwarding to targetHost:targetPort. */
  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    let proxy: TcpProxy | null = null;
    const server = createServer((client) => proxy!.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    proxy = new TcpProxy(server, port, targetPort, targetHost);
    return proxy;
  }

  /** http://127.0.0.1:<port>, for clients that speak HTTP through the proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything flows (and anything held while paused is released). */
  pass(): void {
    this.mode = 'pass';
    for (const release of [...this.waiting]) release();
  }

  /** Connections are accepted but no byte moves until pass(): requests hang like on a dead link. */
  pause(): void {
    this.mode = 'pause';
  }

  /** New connections are closed immediately and open ones are cut: the server looks unreachable. */
  drop(): void {
    this.mode = 'drop';
    this.reset();
  }

  /** Adds latency to every chunk in both directions. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Cuts every open connection (both sides see a reset) without changing the mode. */
  reset(): void {
    for (const pair of [...this.pairs]) {
      pair.client.resetAndDestroy();
      pair.upstream?.resetAndDestroy();
      this.pairs.delete(pair);
    }
  }

  async close(): Promise<void> {
    this.reset();
    for (const release of [...this.waiting]) release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'drop') {
      client.resetAndDestroy();
      return;
    }
    const pair: { client: Socket; upstream: Socket | null; held: Buffer[] } = { client, upstream: null, held: [] };
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      pair.upstream?.destroy();
      client.destroy();
    };
    client.on('error', forget);
    client.on('close', forget);
    client.on('data', (chunk) => pair.held.push(chunk));
    const open = () => {
      if (client.destroyed || !this.pairs.has(pair)) return;
      const upstream = connect(this.targetPort, this.targetHost);
      pair.upstream = upstream;
      upstream.on('error', forget);
      upstream.on('close', forget);
      upstream.on('data', (chunk: Buffer) => {
        this.bytesDown += chunk.length;
        this.forward(chunk, client);
      });
      client.removeAllListeners('data');
      for (const chunk of pair.held) {
        this.bytesUp += chunk.length;
        this.forward(chunk, upstream);
      }
      pair.held = [];
      client.on('data', (chunk: Buffer) => {
        this.bytesUp += chunk.length;
        this.forward(chunk, upstream);
      });
    };
    this.whenFlowing(open);
  }

  private forward(chunk: Buffer, to: Socket): void {
    this.whenFlowing(() => {
      const write = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (this.delayMs > 0) setTimeout(write, this.delayMs);
      else write();
    });
  }

  private whenFlowing(action: () => void): void {
    if (this.mode === 'pass') {
      action();
      return;
    }
    const release = () => {
      this.waiting.delete(release);
      action();
    };
    this.waiting.add(release);
  }
}
