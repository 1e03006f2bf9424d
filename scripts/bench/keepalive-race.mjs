/**
 * The load generator's keep-alive race, alone (docs/benchmarks.md, "Sixth round"): bursts of POSTs on a
 * keep-alive agent to a node:http server in another process (on CPU 0), each burst ~3 s after the last, which
 * is when a server with `keepAliveTimeout = 2000` closes idle sockets (Node 20 closes 1 s after the timeout it
 * announces in `Keep-Alive: timeout=2`). Counts requests failed on a reused socket, with Node 20's default agent
 * (no timeout: the server's hint is ignored) and with `timeout` set (then the agent drops idle sockets 1 s
 * before the hint, and the server never closes one under a request).
 *
 *   node scripts/bench/keepalive-race.mjs          # default agent
 *   node scripts/bench/keepalive-race.mjs timeout  # agent with a timeout, as scripts/bench/loadgen.ts has
 */
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';

if (process.argv[2] === 'server') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.keepAliveTimeout = 2000; // shorter than Node's 5 s default, to reach the moment faster
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
} else {
  const withTimeout = process.argv[2] === 'timeout';
  const taskset = process.platform === 'linux' ? ['taskset', '-c', '0'] : [];
  const [cmd, ...args] = [...taskset, process.execPath, new URL(import.meta.url).pathname, 'server'];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await new Promise((r) => child.stdout.once('data', r)));
  const agent = new Agent({
    keepAlive: true,
    maxSockets: Number.POSITIVE_INFINITY,
    ...(withTimeout ? { timeout: 60_000 } : {}),
  });
  let resets = 0;
  let ok = 0;
  const one = () =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          ok++;
          resolve();
        });
      });
      req.on('error', () => {
        if (req.reusedSocket) resets++;
        resolve();
      });
      req.end('x');
    });
  for (let round = 0; round < 60; round++) {
    await Promise.all(Array.from({ length: 50 }, one));
    const until = performance.now() + 2996 + (round % 20) * 0.4;
    await new Promise((r) => setTimeout(r, 2950)); // idle, so the agent's own timers can run
    while (performance.now() < until) {} // then busy to the sub-millisecond, as a loaded driver is
  }
  console.log(JSON.stringify({ agentTimeout: withTimeout, answered: ok, failedOnReusedSocket: resets }));
  agent.destroy();
  child.kill();
}
