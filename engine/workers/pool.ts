// A small pool of read workers (reader.ts), each a thread with its own connection to the database
// file. A request goes to the worker with the fewest in hand. A worker that dies (a crash, an out-
// of-memory abort) fails the requests it held with InternalServerError and is replaced.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DynamoError } from '../errors.js';
import type { ReadReply, ReadRequest } from './protocol.js';
import type { ReaderData } from './reader.js';

interface Pending {
  resolve(reply: ReadReply): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Set once the worker has opened the database (until then the writer serves its share). */
  ready: boolean;
  /** Whether it ever was ready (one that dies before is not replaced). */
  opened: boolean;
}

/**
 * The worker's script: reader.js beside this file (the tsc build), reader.ts (sources run through
 * tsx, which workers inherit from process.execArgv), or the bundle's entry (scripts/bundle.js puts
 * it in the chunk folder this code is bundled into).
 */
function readerScript(): URL {
  for (const name of ['./reader.js', './reader.ts', './sortkey-reader.js', './chunks/sortkey-reader.js']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('sortkey: the read worker script (engine/workers/reader) is missing');
}

export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly script = readerScript();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly data: ReaderData,
    /** Workers `start()` starts. */
    private readonly wanted: number,
    /** Told of every worker that died unasked (the server logs it). */
    private readonly onCrash: (error: unknown) => void = () => {},
  ) {}

  /**
   * Starts the workers (once). Apart from the constructor, so that an endpoint can listen first:
   * a thread's start costs the main thread a few milliseconds, and its loading competes for a core.
   */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (let i = 0; i < this.wanted; i++) this.slots.push(this.spawn());
  }

  private started = false;

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Slot {
    const worker = this.script.pathname.endsWith('.ts')
      ? // Sources run through tsx (tests, benchmarks): its loader is registered in the thread first.
        new Worker(
          `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(this.script.href)}); });`,
          { eval: true, workerData: this.data },
        )
      : new Worker(this.script, { workerData: this.data });
    const slot: Slot = { worker, pending: new Map(), ready: false, opened: false };
    // An idle pool must not keep the process alive.
    worker.unref();
    let failure: unknown;
    worker.on('message', (reply: ReadReply | 'ready') => {
      if (reply === 'ready') {
        slot.ready = true;
        slot.opened = true;
        return;
      }
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      p.resolve(reply);
    });
    worker.on('error', (e) => {
      failure = e;
      slot.ready = false;
    });
    worker.on('exit', (code) => {
      const i = this.slots.indexOf(slot);
      if (this.closed || i < 0) return;
      const error = new DynamoError('InternalServerError', 'Internal server error: a read worker stopped');
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
      this.onCrash(failure ?? new Error(`read worker exited with code ${code}`));
      if (slot.opened) {
        this.slots[i] = this.spawn();
      } else {
        // It died before opening the database (its script, the file): another would too. The
        // writer serves its share from now on.
        this.slots.splice(i, 1);
      }
    });
    return slot;
  }

  /** Whether any worker is ready to take a read. */
  get ready(): boolean {
    for (const slot of this.slots) if (slot.ready) return true;
    return false;
  }

  /** Hands a read to the least busy ready worker (see `ready`); the reply comes back as sent. */
  run(request: Omit<ReadRequest, 'id'>): Promise<ReadReply> {
    let slot: Slot | undefined;
    for (const s of this.slots) {
      if (s.ready && (slot === undefined || s.pending.size < slot.pending.size)) slot = s;
    }
    if (slot === undefined) return Promise.reject(new Error('no read worker is ready'));
    const id = this.nextId++;
    const chosen = slot;
    return new Promise<ReadReply>((resolve, reject) => {
      if (chosen.pending.size === 0) chosen.worker.ref();
      chosen.pending.set(id, { resolve, reject });
      chosen.worker.postMessage({ ...request, id });
    });
  }

  /** Resolves once every worker is ready. */
  async whenReady(): Promise<void> {
    this.start();
    while (!this.closed && !this.slots.every((s) => s.ready)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Tests: makes worker `index` die at once, as a crash would. */
  crash(index = 0): void {
    this.slots[index]!.worker.postMessage({ crash: true });
  }

  /** Stops every worker; requests still held are answered with InternalServerError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new DynamoError(
      'InternalServerError',
      'Internal server error: the endpoint is shutting down',
    );
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.ready = false;
        for (const p of slot.pending.values()) p.reject(error);
        slot.pending.clear();
        await slot.worker.terminate();
      }),
    );
  }
}
