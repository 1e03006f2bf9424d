/**
 * WAL checkpoints of a SQLite file, run by a worker thread on its own connection instead of by the app's
 * connection on the event loop.
 *
 * Why: better-sqlite3 is synchronous, and with SQLite's automatic checkpoints (every 1,000 WAL pages) the commit
 * that crosses the threshold copies the WAL into the database and fsyncs both before it returns. On this
 * project's 2-core test machine that froze the event loop for 10–165 ms every few hundred commits (every
 * other commit takes about 0.03 ms), and every Slack ack waiting behind it (docs/benchmarks.md, "perf"). Here
 * (from a few seconds after the store opened: startCheckpointerLater) the app's connection has
 * `wal_autocheckpoint = 0` and the worker runs `wal_checkpoint(PASSIVE)` every `intervalMs`: PASSIVE never blocks the app's readers or writer (it copies what it can and leaves the rest for
 * the next run), and the fsyncs happen on the worker's thread. Durability is unchanged: a commit is in the WAL
 * when it returns, whoever checkpoints it later. When the worker cannot run (it failed to start or died), the
 * app's connection gets its automatic checkpoints back, so the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const SQLITE_CHECKPOINT_INTERVAL_MS = 1000;
/**
 * How long after opening the worker starts. Starting one costs about 70 ms of CPU, which a short-lived store
 * (a CLI run, most tests) need not pay; until then SQLite checkpoints by itself, as it always did.
 */
export const SQLITE_CHECKPOINT_WORKER_DELAY_MS = 5000;
/** SQLite's own default for wal_autocheckpoint, restored when the worker is gone. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** What one `wal_checkpoint(PASSIVE)` reported: frames in the WAL and frames copied into the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * The worker's code, evaluated as CommonJS in its own thread (a string rather than a file: the same code runs
 * from dist/ and from the TypeScript sources under jest). It opens its own connection to the same file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.file);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const checkpoint = () => {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  return { busy: Number(row.busy), log: Number(row.log), checkpointed: Number(row.checkpointed) };
};
const timer = setInterval(() => {
  try { checkpoint(); } catch (err) { parentPort.postMessage({ kind: 'warn', message: String(err && err.message) }); }
}, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg.kind === 'now') {
    try { parentPort.postMessage({ kind: 'done', id: msg.id, result: checkpoint() }); }
    catch (err) { parentPort.postMessage({ kind: 'done', id: msg.id, error: String(err && err.message) }); }
  } else if (msg.kind === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ kind: 'ready' });
`;

export interface SqliteCheckpointerOptions {
  intervalMs?: number;
  busyTimeoutMs: number;
  /** Told when the worker fails (the app's connection then checkpoints by itself again). */
  onProblem?: (message: string) => void;
}

/** The app's connection as the checkpointer needs it. */
interface PragmaTarget {
  pragma(source: string): unknown;
  readonly open: boolean;
}

export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #waiting = new Map<
    number,
    { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #stopped = false;

  private constructor(
    worker: Worker,
    private readonly connection: PragmaTarget,
    private readonly onProblem: (message: string) => void,
  ) {
    this.#worker = worker;
    worker.on('message', (msg: WorkerMessage) => this.#onMessage(msg));
    worker.on('error', (err) => this.#failed(`the SQLite checkpoint worker failed: ${err.message}`));
    worker.on('exit', () => {
      if (!this.#stopped) this.#failed('the SQLite checkpoint worker stopped');
    });
    // Never what keeps the process alive.
    worker.unref();
  }

  /**
   * Starts the worker for `file` and, once it is ready, turns off the automatic checkpoints of `connection`.
   * Resolves to null (automatic checkpoints left on) when the worker cannot start.
   */
  static async start(
    file: string,
    connection: PragmaTarget,
    opts: SqliteCheckpointerOptions,
  ): Promise<SqliteCheckpointer | null> {
    const onProblem = opts.onProblem ?? (() => {});
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          file,
          intervalMs: opts.intervalMs ?? SQLITE_CHECKPOINT_INTERVAL_MS,
          busyTimeoutMs: opts.busyTimeoutMs,
        },
      });
    } catch (err) {
      onProblem(`cannot start the SQLite checkpoint worker: ${(err as Error).message}`);
      return null;
    }
    const ready = await new Promise<boolean>((resolve) => {
      worker.once('message', (msg: WorkerMessage) => resolve(msg.kind === 'ready'));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    if (!ready) {
      await worker.terminate().catch(() => 0);
      onProblem('the SQLite checkpoint worker did not start; SQLite checkpoints on the event loop');
      return null;
    }
    connection.pragma('wal_autocheckpoint = 0');
    return new SqliteCheckpointer(worker, connection, onProblem);
  }

  /** One checkpoint now, in the worker (tests, and a last one before closing). */
  checkpointNow(): Promise<CheckpointResult> {
    if (this.#stopped) return Promise.reject(new Error('the SQLite checkpointer is stopped'));
    const id = this.#nextId++;
    // The worker is unref'd: while an answer is awaited, it must keep the process alive.
    this.#worker.ref();
    return new Promise<CheckpointResult>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ kind: 'now', id });
    }).finally(() => {
      if (this.#waiting.size === 0 && !this.#stopped) this.#worker.unref();
    });
  }

  /** Stops the worker; the app's connection checkpoints by itself again (and at its close, as SQLite does). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#restoreAutocheckpoint();
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    // Kept alive until the worker is gone, so that the store's close goes on to close the app's connection.
    this.#worker.ref();
    this.#worker.postMessage({ kind: 'stop' });
    await exited;
    this.#rejectWaiting('the SQLite checkpointer stopped');
  }

  #onMessage(msg: WorkerMessage): void {
    if (msg.kind === 'warn') {
      this.onProblem(`a SQLite checkpoint failed: ${msg.message}`);
    } else if (msg.kind === 'done') {
      const waiter = this.#waiting.get(msg.id);
      this.#waiting.delete(msg.id);
      if (!waiter) return;
      if (msg.result) waiter.resolve(msg.result);
      else waiter.reject(new Error(`a SQLite checkpoint failed: ${msg.error}`));
    }
  }

  #failed(message: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#restoreAutocheckpoint();
    this.#rejectWaiting(message);
    this.onProblem(`${message}; SQLite checkpoints on the event loop again`);
  }

  #restoreAutocheckpoint(): void {
    if (this.connection.open) this.connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }

  #rejectWaiting(message: string): void {
    for (const { reject } of this.#waiting.values()) reject(new Error(message));
    this.#waiting.clear();
  }
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'warn'; message: string }
  | { kind: 'done'; id: number; result?: CheckpointResult; error?: string };

/** A checkpointer started `delayMs` after the store opened (see SQLITE_CHECKPOINT_WORKER_DELAY_MS). */
export interface DeferredCheckpointer {
  /** The checkpointer once its start was tried (null: it could not start); null too when stopped before. */
  started(): Promise<SqliteCheckpointer | null>;
  /** Never starts it if it has not started yet; else stops it. */
  stop(): Promise<void>;
}

export function startCheckpointerLater(
  file: string,
  connection: PragmaTarget,
  opts: SqliteCheckpointerOptions & { delayMs?: number },
): DeferredCheckpointer {
  let stopped = false;
  let starting: Promise<SqliteCheckpointer | null> | null = null;
  let resolveStarted!: (c: SqliteCheckpointer | null) => void;
  const started = new Promise<SqliteCheckpointer | null>((resolve) => {
    resolveStarted = resolve;
  });
  const timer = setTimeout(() => {
    starting = SqliteCheckpointer.start(file, connection, opts).catch((err: unknown) => {
      opts.onProblem?.(`cannot start the SQLite checkpoint worker: ${(err as Error).message}`);
      return null;
    });
    void starting.then(resolveStarted);
  }, opts.delayMs ?? SQLITE_CHECKPOINT_WORKER_DELAY_MS);
  timer.unref();
  return {
    started: () => started,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      if (!starting) {
        resolveStarted(null);
        return;
      }
      // Starting right now: let it finish, then stop it (the store closes its connection only after this).
      await (await starting)?.stop();
    },
  };
}
