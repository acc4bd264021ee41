// Answers written together once the event loop has read a turn's requests (handler.ts,
// OutgoingBatch): each request still gets its own answer, in order per connection, with the right
// length and checksum; a client gone before its answer is written harms nobody else; and at one
// request in flight answers go out at once again.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { crc32 } from '../../../main/server/crc32.js';
import { OutgoingBatch } from '../../../main/server/handler.js';
import { startServer } from '../../../main/server/index.js';
import type { SortkeyServer } from '../../../main/server/index.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('OutgoingBatch', () => {
  function recorder(): { batch: OutgoingBatch; written: string[] } {
    const written: string[] = [];
    const batch = new OutgoingBatch((_res, status, text) => written.push(`${status} ${text}`));
    return { batch, written };
  }
  const res = {} as ServerResponse;

  it('holds the answers of one turn and writes them in order once the turn is over', async () => {
    const { batch, written } = recorder();
    assert.equal(batch.queue(res, 200, 'a', 1), true);
    assert.equal(batch.queue(res, 400, 'b', 1), true);
    assert.equal(batch.queue(res, 200, 'c', 1), true);
    assert.deepEqual(written, []);
    await turn();
    assert.deepEqual(written, ['200 a', '400 b', '200 c']);
    // The next turn's answers make a batch of their own.
    batch.queue(res, 200, 'd', 1);
    await turn();
    assert.deepEqual(written, ['200 a', '400 b', '200 c', '200 d']);
  });

  it('writes at once after turns of a single answer, and queues again when answers meet in a turn', async () => {
    const { batch, written } = recorder();
    for (let i = 0; i < 8; i++) {
      assert.equal(batch.queue(res, 200, `s${i}`, 2), true);
      await turn();
    }
    assert.equal(batch.queuing, false);
    // One request at a time: the caller writes each answer itself.
    for (let i = 0; i < 63; i++) assert.equal(batch.queue(res, 200, 'x', 1), false);
    await turn();
    assert.equal(batch.queuing, false);
    // The 64th answer starts watching its turn; a second answer in the same turn turns batching on.
    assert.equal(batch.queue(res, 200, 'y', 1), false);
    assert.equal(batch.queue(res, 200, 'z', 1), false);
    await turn();
    assert.equal(batch.queuing, true);
    assert.equal(batch.queue(res, 200, 'q', 1), true);
    await turn();
    assert.equal(written.at(-1), '200 q');
  });

  it('stays at once when the watched turn held one answer', async () => {
    const { batch } = recorder();
    for (let i = 0; i < 8; i++) {
      batch.queue(res, 200, 's', 1);
      await turn();
    }
    for (let i = 0; i < 64; i++) batch.queue(res, 200, 'x', 1);
    await turn();
    assert.equal(batch.queuing, false);
  });
});

/** A raw keep-alive connection that collects whole HTTP responses (Content-Length framed). */
class RawConnection {
  private readonly socket: Socket;
  private buffered = Buffer.alloc(0);
  private readonly waiting: ((r: { head: string; body: string }) => void)[] = [];
  private readonly ready: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.ready = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      for (;;) {
        const end = this.buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.buffered.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buffered.length < end + 4 + length) return;
        const body = this.buffered.subarray(end + 4, end + 4 + length).toString('utf8');
        this.buffered = this.buffered.subarray(end + 4 + length);
        this.waiting.shift()?.({ head, body });
      }
    });
  }

  static request(port: number, target: string, body: unknown): Buffer {
    const bytes = Buffer.from(JSON.stringify(body));
    return Buffer.concat([
      Buffer.from(
        `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-amz-json-1.0\r\n` +
          `X-Amz-Target: DynamoDB_20120810.${target}\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        'latin1',
      ),
      bytes,
    ]);
  }

  /** Sends the requests in one write and resolves with their responses, in the order received. */
  async send(requests: Buffer[]): Promise<{ head: string; body: string }[]> {
    await this.ready;
    const answers = requests.map(
      () => new Promise<{ head: string; body: string }>((resolve) => this.waiting.push(resolve)),
    );
    this.socket.write(Buffer.concat(requests));
    return Promise.all(answers);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('the endpoint answering many requests in one turn', () => {
  let server: SortkeyServer;
  const TableName = 'Batched';
  const key = (i: number) => ({ pk: { S: `k${i}` } });

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', inMemory: true });
    const setup = new RawConnection(server.port);
    const [created] = await setup.send([
      RawConnection.request(server.port, 'CreateTable', {
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    ]);
    assert.match(created!.head, /^HTTP\/1\.1 200/);
    const puts = Array.from({ length: 20 }, (_, i) =>
      RawConnection.request(server.port, 'PutItem', { TableName, Item: { ...key(i), n: { N: String(i) } } }),
    );
    for (const r of await setup.send(puts)) assert.match(r.head, /^HTTP\/1\.1 200/);
    setup.destroy();
  });
  after(async () => {
    await server.close();
  });

  it('gives every connection its own answers, pipelined ones in order, each with its checksum', async () => {
    const connections = Array.from({ length: 8 }, () => new RawConnection(server.port));
    try {
      const results = await Promise.all(
        connections.map((c, ci) =>
          c.send(
            [0, 1, 2].map((j) => {
              const i = (ci * 3 + j) % 20;
              // A missing table in the middle: its error answer keeps its place.
              if (j === 1 && ci % 2 === 0)
                return RawConnection.request(server.port, 'GetItem', { TableName: 'Missing', Key: key(i) });
              return RawConnection.request(server.port, 'GetItem', { TableName, Key: key(i) });
            }),
          ),
        ),
      );
      results.forEach((answers, ci) => {
        answers.forEach((r, j) => {
          const i = (ci * 3 + j) % 20;
          const crc = /x-amz-crc32: (\d+)/i.exec(r.head)?.[1];
          assert.equal(crc, String(crc32(Buffer.from(r.body, 'utf8'))));
          if (j === 1 && ci % 2 === 0) {
            assert.match(r.head, /^HTTP\/1\.1 400/);
            assert.match(r.body, /ResourceNotFoundException/);
          } else {
            assert.match(r.head, /^HTTP\/1\.1 200/);
            assert.deepEqual(JSON.parse(r.body), { Item: { ...key(i), n: { N: String(i) } } });
          }
        });
      });
    } finally {
      for (const c of connections) c.destroy();
    }
  });

  it('answers the others when a client leaves before its answer is written', async () => {
    const leaving = new RawConnection(server.port);
    const staying = new RawConnection(server.port);
    try {
      const gone = leaving.send([RawConnection.request(server.port, 'GetItem', { TableName, Key: key(1) })]);
      void gone;
      const kept = staying.send([RawConnection.request(server.port, 'GetItem', { TableName, Key: key(2) })]);
      leaving.destroy();
      const [r] = await kept;
      assert.deepEqual(JSON.parse(r!.body), { Item: { ...key(2), n: { N: '2' } } });
      // The server still answers afterwards.
      const [again] = await staying.send([
        RawConnection.request(server.port, 'GetItem', { TableName, Key: key(3) }),
      ]);
      assert.deepEqual(JSON.parse(again!.body), { Item: { ...key(3), n: { N: '3' } } });
    } finally {
      leaving.destroy();
      staying.destroy();
    }
  });
});
