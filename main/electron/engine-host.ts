// The desktop app's engine, off the window's thread: this module runs in a worker thread started
// by engine-client.ts. It opens the database, serves the DynamoDB endpoint (unless told not to)
// and answers the studio backend's calls posted by the main process, so no engine work, the
// endpoint's included, ever runs on the thread that drives Electron's windows and menus.
// Plain Node (no 'electron' import): the tests start it as a worker thread the same way.
//
// Protocol (structured-clone messages on the worker's port):
//   main → host  { kind: 'call', id, method, args }   { kind: 'close' }
//   host → main  { kind: 'ready', endpoint?, endpointError? }   { kind: 'failed', message }
//                { kind: 'result', id, ok: true, value }
//                { kind: 'result', id, ok: false, error: { type, message } }   { kind: 'closed' }
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ConsistencySettings } from '../../engine/consistency/settings.js';
import { ensureDatabaseDir } from '../defaults.js';
import type { EngineLike, SortkeyServer } from '../server/index.js';
import { warmUpParser } from '../../grammar/partiql/index.js';
import { createStudioBackend, invokeBackend, toErrorShape } from '../studio/backend.js';
import type { StudioBackendImpl } from '../studio/backend.js';
import type { BackendErrorShape } from '../../renderer/src/backend/api.js';

/** What the host is started with (the worker's workerData). */
export interface EngineHostOptions {
  db: string;
  region: string;
  /** `--error-wording`: DynamoDB's new (default) or old request-validation messages. */
  errorWording?: 'new' | 'old';
  /** `--consistency`, `--consistency-seed`: eventual consistency on request (engine/consistency). */
  consistency?: Partial<ConsistencySettings>;
  /** Port of the DynamoDB endpoint on 127.0.0.1 (0: any free port), or null for none. */
  endpointPort: number | null;
  version: string;
}

export type HostRequest = { kind: 'call'; id: number; method: string; args: unknown } | { kind: 'close' };

export type HostMessage =
  | { kind: 'ready'; endpoint?: string; endpointError?: string }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: BackendErrorShape }
  | { kind: 'closed' };

/** The message to show when the database cannot be opened (a driver built for another runtime). */
export function openFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message))
    return (
      'better-sqlite3 is built for Node.js, not for Electron. Rebuild it for Electron with\n\n' +
      '  npx @electron/rebuild -f -w better-sqlite3\n\n' +
      '(`npm rebuild better-sqlite3` builds it for Node.js again), or use browser mode: npm start.\n\n' +
      message
    );
  return message;
}

/** Opens the engine and the endpoint, then answers `port`'s requests until asked to close. */
export async function runEngineHost(port: MessagePort, options: EngineHostOptions): Promise<void> {
  const post = (m: HostMessage): void => port.postMessage(m);
  let engine: (EngineLike & { close(): void }) | undefined;
  let endpoint: SortkeyServer | undefined;
  let endpointError: string | undefined;
  try {
    // Loaded here so a better-sqlite3 built for the wrong runtime is reported, not a crash at import.
    const { Engine } = await import('../../engine/index.js');
    ensureDatabaseDir(options.db);
    engine = new Engine({
      path: options.db,
      region: options.region,
      ...(options.errorWording !== undefined ? { errorWording: options.errorWording } : {}),
      ...(options.consistency !== undefined ? { consistency: options.consistency } : {}),
    });
  } catch (e) {
    post({ kind: 'failed', message: openFailure(e) });
    port.close();
    return;
  }
  if (options.endpointPort !== null) {
    try {
      const { startServer } = await import('../server/index.js');
      endpoint = await startServer({ engine, port: options.endpointPort, host: '127.0.0.1' });
    } catch (e) {
      // Port taken (another Sortkey?): the studio works without the endpoint.
      endpointError = (e as Error).message;
    }
  }
  // The desktop window opens the studio at once: its parser is built now, not in the first EXPLAIN.
  setImmediate(warmUpParser).unref();
  const backend: StudioBackendImpl = createStudioBackend({
    engine,
    info: () => ({
      version: options.version,
      mode: 'electron',
      region: options.region,
      ...(endpoint ? { endpoint: endpoint.url } : {}),
      database: options.db,
    }),
  });
  let closing = false;
  port.on('message', (request: HostRequest) => {
    if (request.kind === 'close') {
      if (closing) return;
      closing = true;
      void (async () => {
        await endpoint?.close({ graceMs: 500 }).catch(() => undefined);
        engine?.close();
        post({ kind: 'closed' });
        port.close();
      })();
      return;
    }
    if (request.kind !== 'call') return;
    const { id } = request;
    invokeBackend(backend, String(request.method), request.args).then(
      (value) => post({ kind: 'result', id, ok: true, value }),
      (e: unknown) => {
        const shape = toErrorShape(e);
        if (shape.internal) console.error('sortkey studio: internal error:', e);
        post({ kind: 'result', id, ok: false, error: { type: shape.type, message: shape.message } });
      },
    );
  });
  post({
    kind: 'ready',
    ...(endpoint ? { endpoint: endpoint.url } : {}),
    ...(endpointError !== undefined ? { endpointError } : {}),
  });
}

if (!isMainThread && parentPort && (workerData as { sortkeyEngineHost?: unknown } | null)?.sortkeyEngineHost)
  void runEngineHost(parentPort, (workerData as { sortkeyEngineHost: EngineHostOptions }).sortkeyEngineHost);
