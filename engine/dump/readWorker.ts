// A read thread of an import (readThreads.ts starts it): it reads, validates and encodes batches
// of DynamoDB JSON lines (lineBatch.ts) while the main thread does the same with other batches and
// spools the results, so the read phase uses a second core. It touches no database: validation
// needs only the table's key schema and index keys, from its definition.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { scratchTable } from './definition.js';
import { LineBatchEncoder } from './lineBatch.js';
import type { ReadThreadData, ReadThreadReply, ReadThreadRequest } from './readThreads.js';

const data = workerData as ReadThreadData;
const port: MessagePort = data.port;
const state = new Int32Array(data.state);
let encoder: LineBatchEncoder | undefined;

function replied(): void {
  // The main thread polls its port (receiveMessageOnPort) and waits on this counter.
  Atomics.add(state, 1, 1);
  Atomics.notify(state, 1);
}

port.on('message', (m: ReadThreadRequest) => {
  if (m.kind === 'table') {
    const table = scratchTable(m.create);
    encoder = new LineBatchEncoder(table, table.key, m.target, m.unit);
    return;
  }
  let reply: ReadThreadReply;
  try {
    const fault = data.fault;
    if (fault && m.firstLine <= fault.line && fault.line < m.firstLine + m.lines) {
      if (fault.how === 'exit') process.exit(1);
      throw new Error(`a test fault at line ${fault.line}`);
    }
    const batch = encoder!.encode(m.text, m.firstLine);
    reply = { id: m.id, batch };
    port.postMessage(reply, [batch.bytes]);
  } catch (e) {
    reply = { id: m.id, error: (e as Error).message };
    port.postMessage(reply);
  }
  replied();
});

Atomics.store(state, 0, 1);
Atomics.notify(state, 0);
parentPort?.postMessage('ready');
