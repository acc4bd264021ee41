// The main process's side of the desktop app's engine host (engine-host.ts): starts it in a worker
// thread, forwards the studio's calls to it and hands back their answers. Plain Node, so the
// tests drive it without Electron.
import { Worker } from 'node:worker_threads';
import type { BackendErrorShape } from '../../renderer/src/backend/api.js';
import type { EngineHostOptions, HostMessage, HostRequest } from './engine-host.js';

/** An answer for the page's IPC bridge: the value, or the `{ type, message }` the UI shows. */
export type HostAnswer = { ok: true; value: unknown } | { ok: false; error: BackendErrorShape };

export interface EngineHost {
  /** The DynamoDB endpoint's URL, when it runs. */
  readonly endpoint: string | undefined;
  /** Why the endpoint did not start (port taken), when it was asked for and did not. */
  readonly endpointError: string | undefined;
  /** The worker thread's id (the engine lives there, not on the caller's thread). */
  readonly threadId: number;
  call(method: string, args: unknown): Promise<HostAnswer>;
  /** Closes the endpoint and the database, then ends the thread. */
  close(): Promise<void>;
}

/** The host module beside this one (engine-host.js in the build, .ts under tsx). */
function hostModule(): URL {
  const self = import.meta.url;
  return new URL(self.endsWith('.ts') ? './engine-host.ts' : './engine-host.js', self);
}

/** Starts the engine host; rejects with the reason when the database cannot be opened. */
export function startEngineHost(options: EngineHostOptions, module: URL = hostModule()): Promise<EngineHost> {
  const worker = new Worker(module, { workerData: { sortkeyEngineHost: options } });
  const pending = new Map<number, (answer: HostAnswer) => void>();
  let nextId = 1;
  let closed: Promise<void> | undefined;
  let exited = false;
  const failAll = (message: string): void => {
    for (const resolve of pending.values())
      resolve({ ok: false, error: { type: 'InternalServerError', message } });
    pending.clear();
  };
  return new Promise<EngineHost>((resolve, reject) => {
    let started = false;
    worker.on('error', (e) => {
      if (!started) reject(e);
      else console.error('sortkey studio: engine host failed:', e);
    });
    worker.on('exit', (code) => {
      exited = true;
      failAll('The database engine stopped');
      if (!started) reject(new Error(`The database engine stopped while starting (exit code ${code})`));
    });
    worker.on('message', (m: HostMessage) => {
      switch (m.kind) {
        case 'ready':
          started = true;
          resolve({
            endpoint: m.endpoint,
            endpointError: m.endpointError,
            threadId: worker.threadId,
            call(method, args) {
              if (exited || closed)
                return Promise.resolve({
                  ok: false,
                  error: { type: 'InternalServerError', message: 'The database engine is closed' },
                });
              const id = nextId++;
              return new Promise<HostAnswer>((answer) => {
                pending.set(id, answer);
                worker.postMessage({ kind: 'call', id, method, args } satisfies HostRequest);
              });
            },
            close() {
              closed ??= exited
                ? Promise.resolve()
                : new Promise<void>((done) => {
                    worker.once('exit', () => done());
                    worker.postMessage({ kind: 'close' } satisfies HostRequest);
                  });
              return closed;
            },
          });
          return;
        case 'failed':
          reject(new Error(m.message));
          void worker.terminate();
          return;
        case 'result': {
          const answer = pending.get(m.id);
          pending.delete(m.id);
          answer?.(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
          return;
        }
        case 'closed':
          // Everything is closed: nothing is left for the thread to finish.
          void worker.terminate();
          return;
      }
    });
  });
}
