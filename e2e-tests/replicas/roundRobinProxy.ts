import http from 'node:http';

/** A backend behind the proxy, and what the proxy knows of it. */
export interface Upstream {
  name: string;
  baseUrl: string;
  /** Answered readiness at the last check, and took connections since. */
  ready: boolean;
  /** Requests it answered (at least their headers). */
  served: number;
}

export interface RoundRobinProxy {
  url: string;
  upstreams: Upstream[];
  stop(): Promise<void>;
}

const READINESS = '/.backstage/health/v1/readiness';

/**
 * What a Kubernetes Service does for the Deployment's replicas, on loopback: each request
 * goes to the next ready replica in turn. A replica leaves the rotation when its
 * readiness stops answering 200 (checked every 500 ms) or a connection to it fails; a
 * request whose connection failed before any answer goes to the next replica, as a
 * client's retry would. An answer cut off midway is cut off for the client too.
 */
export async function startRoundRobinProxy(options: {
  port: number;
  upstreams: Array<{ name: string; baseUrl: string }>;
}): Promise<RoundRobinProxy> {
  const upstreams: Upstream[] = options.upstreams.map(u => ({
    ...u,
    ready: false,
    served: 0,
  }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;

  const check = async (upstream: Upstream) => {
    try {
      const res = await fetch(`${upstream.baseUrl}${READINESS}`, {
        signal: AbortSignal.timeout(1000),
      });
      upstream.ready = res.status === 200;
    } catch {
      upstream.ready = false;
    }
  };
  const checker = setInterval(() => {
    for (const upstream of upstreams) {
      void check(upstream);
    }
  }, 500);
  await Promise.all(upstreams.map(check));

  /** Sends the request to one upstream; rejects only if nothing was answered. */
  const forward = (
    upstream: Upstream,
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ) =>
    new Promise<void>((resolve, reject) => {
      const target = new URL(req.url ?? '/', upstream.baseUrl);
      const proxied = http.request(
        target,
        {
          method: req.method,
          agent,
          headers: {
            ...req.headers,
            'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
            'x-forwarded-proto': 'http',
            'x-forwarded-host': req.headers.host ?? '',
          },
        },
        answer => {
          upstream.served += 1;
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
          answer.on('aborted', () => res.destroy());
          answer.on('end', resolve);
        },
      );
      proxied.on('error', error => {
        if (res.headersSent) {
          res.destroy();
          resolve();
        } else {
          reject(error);
        }
      });
      proxied.end(body);
    });

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const tried = new Set<Upstream>();
    while (tried.size < upstreams.length) {
      const candidates = upstreams.filter(u => u.ready && !tried.has(u));
      if (candidates.length === 0) {
        break;
      }
      const upstream = candidates[next++ % candidates.length];
      tried.add(upstream);
      try {
        await forward(upstream, req, body, res);
        return;
      } catch {
        upstream.ready = false; // until its readiness answers again
      }
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('no replica is ready');
  });
  // loopback only: IPv4, and IPv6 where the machine has it, so that `localhost` works
  // whichever address a browser resolves it to
  const ipv6 = http.createServer(
    server.listeners('request')[0] as http.RequestListener,
  );
  await new Promise<void>(resolve =>
    server.listen(options.port, '127.0.0.1', resolve),
  );
  await new Promise<void>(resolve => {
    ipv6.once('error', () => resolve());
    ipv6.listen(options.port, '::1', resolve);
  });
  return {
    url: `http://localhost:${options.port}`,
    upstreams,
    async stop() {
      clearInterval(checker);
      for (const listening of [server, ipv6]) {
        listening.closeAllConnections();
        await new Promise(resolve => listening.close(() => resolve(undefined)));
      }
      agent.destroy();
    },
  };
}
