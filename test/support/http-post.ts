/**
 * One POST on a connection of its own (no keep-alive), timed. fetch's pooled sockets fail with ECONNRESET on a
 * loaded machine when the server closes an idle socket just as the next request reuses it; Slack does not share
 * sockets with our tests, so a request per connection is the faithful (and stable) way to play Slack here.
 */
import { request } from 'node:http';

export interface PostAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
  elapsedMs: number;
}

export function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<PostAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const answer: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) answer[k] = String(v);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: answer,
            elapsedMs: performance.now() - started,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
