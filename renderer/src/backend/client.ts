// The backend the UI talks to: Electron's preload bridge when present (IPC), else HTTP to the
// `sortkey serve` that served this page. Both carry the same methods (api.ts).
import type { BackendErrorShape, BackendMethod, StudioBackend } from './api.js';
import { BACKEND_METHODS } from './api.js';

/** A failure reported by the backend: DynamoDB's exception name and message. */
export class BackendError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** What Electron's preload exposes as `window.sortkeyStudio`. */
export interface ElectronBridge {
  readonly shell: 'electron';
  call(
    method: string,
    args: unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: BackendErrorShape }>;
  onMenu?(listener: (command: string) => void): void;
}

declare global {
  interface Window {
    sortkeyStudio?: ElectronBridge;
  }
}

type Transport = (method: BackendMethod, args: unknown) => Promise<unknown>;

function httpTransport(base: string): Transport {
  return async (method, args) => {
    let res: Response;
    try {
      res = await fetch(`${base}${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
    } catch {
      throw new BackendError(
        'NetworkError',
        'Cannot reach the Sortkey server: is `sortkey serve` still running?',
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new BackendError('InternalServerError', `Unexpected answer (${res.status})`);
    }
    if (!res.ok) {
      const e = body as Partial<BackendErrorShape>;
      throw new BackendError(e.type ?? `HTTP${res.status}`, e.message ?? `Request failed (${res.status})`);
    }
    return body;
  };
}

function ipcTransport(bridge: ElectronBridge): Transport {
  return async (method, args) => {
    const r = await bridge.call(method, args ?? {});
    if (r.ok) return r.value;
    throw new BackendError(r.error.type, r.error.message);
  };
}

function makeBackend(transport: Transport): StudioBackend {
  const backend = {} as Record<BackendMethod, (args?: unknown) => Promise<unknown>>;
  for (const m of BACKEND_METHODS) backend[m] = (args?: unknown) => transport(m, args);
  return backend as unknown as StudioBackend;
}

/** The backend for this page. */
export function connectBackend(): StudioBackend {
  if (window.sortkeyStudio?.shell === 'electron') return makeBackend(ipcTransport(window.sortkeyStudio));
  return makeBackend(httpTransport(new URL('api/', document.baseURI).pathname));
}

export function errorText(e: unknown): string {
  if (e instanceof BackendError)
    return e.type && !e.message.startsWith(e.type) ? `${e.type}: ${e.message}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
