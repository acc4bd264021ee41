// The import's read threads: worker threads (readWorker.ts) that read, validate and encode batches
// of DynamoDB JSON lines while the main thread does the same with other batches, so the read
// phase — JSON.parse and validation, two thirds of an import's CPU — runs on two cores. The writes
// stay on the main thread (one writer). The main thread hands a batch to a thread that has fewer
// than MAX_IN_FLIGHT batches and encodes it itself otherwise; results are taken in input order
// (import.ts), so the spool, the problems and their order are those of a single thread.
//
// The main thread never waits on an event for a result: it polls each thread's port
// (receiveMessageOnPort) and, when it must wait for the oldest batch, waits on a shared counter the
// thread bumps after each reply (Atomics.waitAsync). Results therefore come in even while the main
// thread is busy encoding, whatever its event loop is doing. A thread that does not start is never
// given a batch; one that dies has its batches encoded again on the main thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Sdk, Wire } from '../types.js';
import type { EncodedBatch } from './lineBatch.js';

/** Batches a thread holds at once (one being encoded, the rest waiting): bounded memory, no idle gap. */
const MAX_IN_FLIGHT = 4;

export interface ReadThreadData {
  readonly port: MessagePort;
  /** Int32 [0]: 1 once the thread listens; [1]: replies posted. */
  readonly state: SharedArrayBuffer;
  /** Tests: fail (throw) or die (exit) on the batch that holds this line. */
  readonly fault?: ReadThreadFault;
}

export interface ReadThreadFault {
  readonly line: number;
  readonly how: 'throw' | 'exit';
}

export type ReadThreadRequest =
  | {
      readonly kind: 'table';
      readonly create: Wire<Sdk.CreateTableInput>;
      readonly target: number;
      readonly unit: number;
    }
  | {
      readonly kind: 'batch';
      readonly id: number;
      readonly text: string;
      readonly firstLine: number;
      readonly lines: number;
    };

export type ReadThreadReply =
  { readonly id: number; readonly batch: EncodedBatch } | { readonly id: number; readonly error: string };

/** A batch of lines on its way through the read phase. */
export interface LineJob {
  readonly text: string;
  readonly firstLine: number;
  /** Lines in text (newlines). */
  readonly lines: number;
  /** The last batch cut from one piece of input (the all-or-nothing stop is checked there). */
  readonly pieceEnd: boolean;
  result?: EncodedBatch;
  /** An error a thread raised while encoding (not a bad record: those are in result). */
  error?: string;
}

interface Slot {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly state: Int32Array;
  readonly inFlight: Map<number, LineJob>;
  dead: boolean;
}

/**
 * The thread's script: readWorker.js beside this file (the tsc build), readWorker.ts (sources run
 * through tsx), or the bundle's entry (scripts/bundle.js puts it in the chunk folder).
 */
function workerScript(): URL | undefined {
  for (const name of [
    './readWorker.js',
    './readWorker.ts',
    './sortkey-import-reader.js',
    './chunks/sortkey-import-reader.js',
  ]) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

export class ReadThreads {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  private constructor() {}

  /** Starts up to `count` threads; those that cannot start are left out (none: every batch is local). */
  static open(count: number, fault?: ReadThreadFault): ReadThreads {
    const threads = new ReadThreads();
    const script = workerScript();
    if (!script) return threads;
    for (let i = 0; i < count; i++) {
      try {
        threads.slots.push(spawn(script, fault));
      } catch {
        break;
      }
    }
    return threads;
  }

  /** No thread at all: every batch is encoded by the caller (`send` always says no). */
  static none(): ReadThreads {
    return new ReadThreads();
  }

  get size(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /** Tells every thread the table and input the next batches are for. */
  setTable(create: Wire<Sdk.CreateTableInput>, target: number, unit: number): void {
    const m: ReadThreadRequest = { kind: 'table', create, target, unit };
    for (const s of this.slots) if (!s.dead) s.port.postMessage(m);
  }

  /** Hands `job` to a thread with room; false when there is none (the caller encodes it itself). */
  send(job: LineJob): boolean {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.dead || Atomics.load(s.state, 0) !== 1 || s.inFlight.size >= MAX_IN_FLIGHT) continue;
      if (!best || s.inFlight.size < best.inFlight.size) best = s;
    }
    if (!best) return false;
    const id = this.nextId++;
    best.inFlight.set(id, job);
    const m: ReadThreadRequest = {
      kind: 'batch',
      id,
      text: job.text,
      firstLine: job.firstLine,
      lines: job.lines,
    };
    try {
      best.port.postMessage(m);
    } catch {
      best.inFlight.delete(id);
      return false;
    }
    return true;
  }

  /**
   * Takes the replies that have arrived (synchronously). The batches of a thread that died are
   * given to `local` to encode on this thread.
   */
  poll(local: (job: LineJob) => void): void {
    for (const s of this.slots) {
      for (;;) {
        const m = receiveMessageOnPort(s.port) as { message: ReadThreadReply } | undefined;
        if (!m) break;
        const reply = m.message;
        const job = s.inFlight.get(reply.id);
        if (!job) continue;
        s.inFlight.delete(reply.id);
        if ('error' in reply) job.error = reply.error;
        else job.result = reply.batch;
      }
      if (s.dead && s.inFlight.size > 0) {
        const lost = [...s.inFlight.values()];
        s.inFlight.clear();
        for (const job of lost) local(job);
      }
    }
  }

  /** Until `job` has its result (or error). */
  async wait(job: LineJob, local: (job: LineJob) => void): Promise<void> {
    for (;;) {
      const counters = this.slots.map((s) => Atomics.load(s.state, 1));
      this.poll(local);
      if (job.result !== undefined || job.error !== undefined) return;
      const slot = this.slots.find((s) => [...s.inFlight.values()].includes(job));
      if (!slot) {
        // Not sent to any thread: only a caller's mistake gets here.
        local(job);
        return;
      }
      await waitChange(slot.state, 1, counters[this.slots.indexOf(slot)]!);
    }
  }

  /** Tests: until every thread listens (or died), so that batches really go to threads. */
  async ready(): Promise<void> {
    for (const s of this.slots) {
      while (!s.dead && Atomics.load(s.state, 0) !== 1) {
        await waitChange(s.state, 0, 0);
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) {
      s.dead = true;
      s.port.close();
      void s.worker.terminate();
    }
  }
}

function spawn(script: URL, fault: ReadThreadFault | undefined): Slot {
  const channel = new MessageChannel();
  const shared = new SharedArrayBuffer(8);
  const data: ReadThreadData = { port: channel.port2, state: shared, ...(fault ? { fault } : {}) };
  const options = { workerData: data, transferList: [channel.port2] };
  const worker = script.pathname.endsWith('.ts')
    ? // Sources run through tsx (tests, benchmarks): its loader is registered in the thread first.
      new Worker(
        `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(script.href)}); });`,
        { ...options, eval: true },
      )
    : // Built JavaScript needs no loader: the parent's --import (tsx under a benchmark) would be
      // started again in the thread for nothing.
      new Worker(script, { ...options, execArgv: [] });
  const slot: Slot = {
    worker,
    port: channel.port1,
    state: new Int32Array(shared),
    inFlight: new Map(),
    dead: false,
  };
  const died = () => {
    slot.dead = true;
    // Wakes a wait on this thread's results: they will not come.
    Atomics.add(slot.state, 1, 1);
    Atomics.notify(slot.state, 1);
  };
  worker.on('error', died);
  worker.on('exit', died);
  return slot;
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: boolean; value: unknown };

/**
 * Until state[index] is no longer `value` or 50 ms passed (then the caller looks again: a thread
 * that died is noticed by its exit event). Atomics.waitAsync (ES2024, in Node 20) does not block
 * the event loop.
 */
async function waitChange(state: Int32Array, index: number, value: number): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  if (!waitAsync) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return;
  }
  const waited = waitAsync.call(Atomics, state, index, value, 50);
  if (waited.async) await waited.value;
}
