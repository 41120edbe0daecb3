// A minimal CAS identity provider for testing single sign-on against Synapse (which speaks
// CAS without extra Python packages), plus a tiny "system browser" that follows redirects
// the way a real one would. /login approves whoever is configured and redirects back to the
// service with a ticket; /proxyValidate confirms the ticket (CAS 2.0 protocol).
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';

export class FakeCas {
  private readonly tickets = new Map<string, { user: string; service: string }>();
  /** The CAS user name the next /login approves. */
  user = 'carol';

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeCas> {
    let cas: FakeCas | null = null;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const service = url.searchParams.get('service') ?? '';
      if (url.pathname === '/login') {
        const ticket = `ST-${randomBytes(8).toString('hex')}`;
        cas!.tickets.set(ticket, { user: cas!.user, service });
        const back = new URL(service);
        back.searchParams.set('ticket', ticket);
        res.writeHead(302, { Location: back.toString() }).end();
        return;
      }
      if (url.pathname === '/proxyValidate') {
        const entry = cas!.tickets.get(url.searchParams.get('ticket') ?? '');
        cas!.tickets.delete(url.searchParams.get('ticket') ?? '');
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        if (entry && entry.service === service) {
          res.end(
            `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>${entry.user}</cas:user></cas:authenticationSuccess></cas:serviceResponse>`,
          );
        } else {
          res.end('<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">no</cas:authenticationFailure></cas:serviceResponse>');
        }
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    cas = new FakeCas(server, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    return cas;
  }

  /** Synapse settings that enable this CAS server and skip the redirect confirmation for loopback clients. */
  synapseConfig(): Record<string, unknown> {
    return { cas_config: { enabled: true, server_url: this.url }, sso: { client_whitelist: ['http://127.0.0.1:'] } };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Follows redirects like a browser would (loopback only) and returns the URLs visited. */
export async function browse(start: string, maxHops = 10): Promise<string[]> {
  const visited: string[] = [];
  let url = start;
  for (let hop = 0; hop < maxHops; hop++) {
    if (new URL(url).hostname !== '127.0.0.1') throw new Error(`The test browser only visits loopback addresses, not ${url}`);
    visited.push(url);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    await response.arrayBuffer();
    if (response.status < 300 || response.status >= 400 || !location) {
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return visited;
    }
    url = new URL(location, url).toString();
  }
  throw new Error(`Too many redirects from ${start}`);
}
