// Hostile input: a seeded fuzzer throws malformed and mutated requests at a `sortkey serve` child and
// checks, after every one of them, that
//   - the process is still there (no crash) and answered in time (no hang: per-request timeout);
//   - any 5xx is InternalServerError and the endpoint still serves (health check);
//   - a rejected request (any status but 200) left the known tables exactly as they were (checksum
//     of Scans of both tables and of their two indexes, taken before and after);
//   - every API answer is well formed: x-amz-crc32 matches, errors are JSON with a __type.
// Crashes, hangs, 500s and changes are findings; the first of each kind is shrunk to a minimal
// reproducing request (JSON bodies) and written to the report.
import { createHash } from 'node:crypto';
import type { FuzzRequest } from './generators.js';
import {
  DDB,
  FIXTURE_TABLES,
  KNOWN_TABLES,
  READ_ONLY,
  fixtureItems,
  generateRequest,
  memberTypeRequests,
  specialRequests,
} from './generators.js';
import type { RawResponse, ServerChild } from './support.js';
import {
  RequestTimeout,
  api,
  apiOk,
  createTable,
  crcMatches,
  errorName,
  healthy,
  send,
  sleep,
  startServerChild,
} from './support.js';

export type FindingKind =
  | 'crash'
  | 'hang'
  | 'bad-5xx'
  | 'internal-error'
  | 'changed-on-reject'
  | 'bad-response'
  | 'dropped-connection'
  | 'fixture-broken';

/** Kinds that fail the run: no request shape may answer InternalServerError either (issue #16). */
export const FATAL: ReadonlySet<FindingKind> = new Set([
  'crash',
  'hang',
  'bad-5xx',
  'internal-error',
  'changed-on-reject',
  'fixture-broken',
]);

export interface Finding {
  readonly kind: FindingKind;
  readonly signature: string;
  count: number;
  /** `seed/index` (replay with TORTURE_SEED=seed TORTURE_REPLAY=index) or the special's label. */
  readonly first: string;
  readonly detail: string;
  readonly request: string;
  minimized?: string;
  /** Operations it was seen with. */
  readonly ops: string[];
}

export interface FuzzReport {
  readonly seed: number;
  sent: number;
  accepted: number;
  rejected: number;
  readonly statuses: Record<string, number>;
  readonly errors: Record<string, number>;
  readonly findings: Finding[];
  restarts: number;
  checksums: number;
  /** Requests the generator itself failed to build (skipped). */
  generatorErrors: number;
  slowest: { ms: number; id: string; label: string };
  elapsedMs: number;
  stopReason: string;
}

export interface FuzzOptions {
  readonly dbFile: string;
  readonly seed: number;
  /** Generated requests (the specials come on top, when enabled). */
  readonly count: number;
  readonly specials: boolean;
  /**
   * Requests of the every-member × every-JSON-type set (`memberTypeRequests`) sent after the
   * specials: all of them (Infinity), a bounded slice, or none (0, the default).
   */
  readonly memberTypes?: number;
  /** Stop generating after this long (the run still ends cleanly). */
  readonly maxMs: number;
  /** Only these request indexes (replay). */
  readonly only?: readonly number[];
  readonly minimize?: boolean;
  readonly log?: (line: string) => void;
}

const MAX_RENDER = 1_500;

/** A request as text for the report (bodies cut at 1,500 characters; huge ones described). */
export function renderRequest(req: FuzzRequest): string {
  const head = [`${req.method ?? 'POST'} ${req.path ?? '/'} HTTP/1.1`];
  if (req.target !== undefined) head.push(`X-Amz-Target: ${req.target}`);
  if (req.contentType !== undefined) head.push(`Content-Type: ${req.contentType}`);
  if (req.chunked) head.push('Transfer-Encoding: chunked');
  let body: string;
  if (req.describe && req.body.length > MAX_RENDER) body = `<${req.describe}>`;
  else if (typeof req.body === 'string')
    body =
      req.body.length > MAX_RENDER
        ? `${req.body.slice(0, MAX_RENDER)}… (${req.body.length} characters)`
        : req.body;
  else body = `<${req.body.length} bytes: ${req.body.toString('hex').slice(0, 400)}>`;
  return `${head.join('\n')}\n\n${body}`;
}

function sendFuzz(port: number, req: FuzzRequest): Promise<RawResponse> {
  return send(
    port,
    {
      target: req.target,
      contentType: req.contentType,
      body: req.body,
      method: req.method ?? 'POST',
      path: req.path ?? '/',
      chunked: req.chunked ?? false,
    },
    req.timeoutMs ?? 10_000,
    1,
  );
}

export async function runFuzzTorture(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const report: FuzzReport = {
    seed: o.seed,
    sent: 0,
    accepted: 0,
    rejected: 0,
    statuses: {},
    errors: {},
    findings: [],
    restarts: 0,
    checksums: 0,
    generatorErrors: 0,
    slowest: { ms: 0, id: '', label: '' },
    elapsedMs: 0,
    stopReason: 'done',
  };
  const bySignature = new Map<string, Finding>();
  /** Items in the two known tables at the last checksum. */
  let itemsInChecksum = 0;
  /** Characters the checksum Scans returned: a huge accepted item makes every checksum slow. */
  let checksumChars = 0;
  let server: ServerChild = await startServerChild(o.dbFile);

  const record = (
    kind: FindingKind,
    signature: string,
    id: string,
    req: FuzzRequest,
    detail: string,
  ): Finding | undefined => {
    const sig = `${kind}: ${signature}`;
    const existing = bySignature.get(sig);
    if (existing) {
      existing.count++;
      if (!existing.ops.includes(req.op) && existing.ops.length < 40) existing.ops.push(req.op);
      return undefined;
    }
    const f: Finding = {
      kind,
      signature: sig,
      count: 1,
      first: id,
      detail: detail.slice(0, 2_000),
      request: renderRequest(req),
      ops: [req.op],
    };
    bySignature.set(sig, f);
    report.findings.push(f);
    log(`  ! ${kind} at ${id} (${req.label}): ${signature.slice(0, 300)}`);
    return f;
  };

  async function checksum(): Promise<string> {
    report.checksums++;
    const scans = await Promise.all(
      [
        ['FuzzHash', undefined],
        ['FuzzRange', undefined],
        ['FuzzRange', 'ByG'],
        ['FuzzRange', 'ByL'],
      ].map(async ([TableName, IndexName]) => {
        const pages: string[] = [];
        let start: unknown;
        for (let i = 0; i < 1000; i++) {
          const r = await api(
            server.port,
            'Scan',
            {
              TableName,
              ...(IndexName ? { IndexName } : { ConsistentRead: true }),
              ...(start ? { ExclusiveStartKey: start } : {}),
            },
            30_000,
          );
          if (r.status !== 200)
            throw new Error(
              `checksum Scan ${TableName}${IndexName ? `.${IndexName}` : ''}: ${r.status} ${r.text.slice(0, 300)}`,
            );
          const j = r.json as { Items?: unknown[]; Count?: number; LastEvaluatedKey?: unknown };
          pages.push(JSON.stringify(j.Items ?? []));
          if (!j.LastEvaluatedKey) break;
          start = j.LastEvaluatedKey;
        }
        return pages.join('');
      }),
    );
    const h = createHash('sha256');
    for (const s of scans) h.update(s).update('\u0000');
    itemsInChecksum = scans.slice(0, 2).reduce((n, s) => n + (s.match(/"pk":/g)?.length ?? 0), 0);
    checksumChars = scans.reduce((n, s) => n + s.length, 0);
    return h.digest('hex');
  }

  async function setupFixtures(fresh: boolean): Promise<void> {
    if (fresh) {
      for (const t of KNOWN_TABLES) {
        await api(server.port, 'UpdateTable', { TableName: t, DeletionProtectionEnabled: false });
        await api(server.port, 'DeleteTable', { TableName: t });
      }
    }
    const existing = (await apiOk<{ TableNames: string[] }>(server.port, 'ListTables', {})).TableNames;
    for (const def of FIXTURE_TABLES)
      if (!existing.includes(def.TableName as string)) await createTable(server.port, def);
    const items = fixtureItems();
    for (let i = 0; i < items.length; i += 25) {
      const batch = items.slice(i, i + 25);
      const req: Record<string, unknown[]> = {};
      for (const { table, item } of batch) (req[table] ??= []).push({ PutRequest: { Item: item } });
      await apiOk(server.port, 'BatchWriteItem', { RequestItems: req });
    }
  }

  async function restart(why: string): Promise<void> {
    log(`  restarting the server (${why})`);
    await server.kill();
    report.restarts++;
    server = await startServerChild(o.dbFile);
  }

  /** Fixtures back to their known state; returns the new baseline. */
  async function recover(fresh: boolean): Promise<string> {
    if (server.exited || !(await healthy(server.port))) await restart('not serving');
    try {
      await setupFixtures(fresh);
      return await checksum();
    } catch (e) {
      if (fresh) throw e;
      return recover(true);
    }
  }

  await setupFixtures(false);
  let baseline = await checksum();

  type Outcome =
    { kind: 'ok' | 'rejected'; res: RawResponse } | { kind: 'crash' | 'hang' | 'dropped'; detail: string };

  /** Sends one request and says what became of it (restarting the server after a crash or hang). */
  async function attempt(req: FuzzRequest): Promise<Outcome> {
    const mark = server.stderrMark();
    try {
      const res = await sendFuzz(server.port, req);
      return { kind: res.status === 200 ? 'ok' : 'rejected', res };
    } catch (e) {
      if (server.exited || !(await healthy(server.port, 5_000))) {
        const exited = server.exited;
        const detail = exited
          ? `exited (code ${exited.code}, signal ${exited.signal}): ${server.stderrSince(mark).slice(-1_500)}`
          : `${e instanceof RequestTimeout ? e.message : String(e)}; the health check failed too: ${server.stderrSince(mark).slice(-1_500)}`;
        const kind = exited ? 'crash' : 'hang';
        await restart(kind);
        return { kind, detail };
      }
      if (e instanceof RequestTimeout)
        return { kind: 'hang', detail: `${e.message} (the endpoint still answers health checks)` };
      return { kind: 'dropped', detail: String(e) };
    }
  }

  const internalSignature = (res: RawResponse, stderr: string): string => {
    const m = /internal error in ([^:]*):\s*([^\n]*)(?:\n\s*at ([^\n]*))?/.exec(stderr);
    return m
      ? `${m[2]}${m[3] ? ` at ${m[3].trim().replace(/\(.*\/(?=[^/]+\/[^/]+:\d+)/, '(')}` : ''}`
      : `${res.status} ${res.text.slice(0, 120)}`;
  };

  /** Checks one answered request; returns a finding kind and signature when something is wrong. */
  function problemsOf(
    req: FuzzRequest,
    res: RawResponse,
    stderr: string,
  ): { kind: FindingKind; sig: string; detail: string }[] {
    const out: { kind: FindingKind; sig: string; detail: string }[] = [];
    if (res.status >= 500) {
      if (errorName(res) === 'InternalServerError')
        out.push({
          kind: 'internal-error',
          sig: internalSignature(res, stderr),
          detail: `${res.text.slice(0, 300)}\n${stderr.slice(0, 1_500)}`,
        });
      else
        out.push({
          kind: 'bad-5xx',
          sig: `${res.status} ${errorName(res) ?? res.text.slice(0, 100)}`,
          detail: res.text.slice(0, 500),
        });
    }
    // Answers without a request id come from Node's HTTP parser (431 for oversized headers, 400 for
    // malformed HTTP), before Sortkey's handler sees the request: not the endpoint's to format.
    const isApi =
      (req.method ?? 'POST') === 'POST' &&
      (req.path ?? '/') === '/' &&
      res.headers['x-amzn-requestid'] !== undefined;
    if (
      isApi &&
      res.status !== 200 &&
      typeof (res.json as { __type?: unknown } | undefined)?.__type !== 'string' &&
      res.status !== 404
    ) {
      out.push({
        kind: 'bad-response',
        sig: `status ${res.status} without a JSON __type`,
        detail: res.text.slice(0, 300),
      });
    }
    if (isApi && res.status !== 404 && !crcMatches(res))
      out.push({
        kind: 'bad-response',
        sig: 'x-amz-crc32 does not match the body',
        detail: `${res.headers['x-amz-crc32']}`,
      });
    if (
      isApi &&
      res.status === 200 &&
      (res.json === undefined || typeof res.json !== 'object' || Array.isArray(res.json))
    ) {
      out.push({
        kind: 'bad-response',
        sig: '200 whose body is not a JSON object',
        detail: res.text.slice(0, 300),
      });
    }
    return out;
  }

  /** Does `req` still produce a finding of this kind/signature? (Used to shrink reproducers.) */
  async function reproduces(req: FuzzRequest, kind: FindingKind, sig: string): Promise<boolean> {
    if (kind === 'changed-on-reject') {
      const before = await checksum().catch(() => '');
      const out = await attempt(req);
      const after = await checksum().catch(() => 'x');
      baseline = after;
      return out.kind === 'rejected' && before !== after;
    }
    const mark = server.stderrMark();
    const out = await attempt(req);
    if (!('res' in out))
      return out.kind === kind || (out.kind === 'dropped' && kind === 'dropped-connection');
    if (out.res.status >= 500) await sleep(30);
    return problemsOf(req, out.res, server.stderrSince(mark)).some((p) => p.kind === kind && p.sig === sig);
  }

  async function minimize(req: FuzzRequest, f: Finding, kind: FindingKind, sig: string): Promise<void> {
    if (o.minimize === false || typeof req.body !== 'string' || req.body.length > 200_000) return;
    let value: unknown;
    try {
      value = JSON.parse(req.body);
    } catch {
      return;
    }
    const budget = kind === 'crash' || kind === 'hang' ? 30 : 200;
    const fails = (v: unknown): Promise<boolean> => {
      let text: string;
      try {
        text = JSON.stringify(v);
      } catch {
        return Promise.resolve(false);
      }
      return reproduces({ ...req, body: text, describe: undefined }, kind, sig);
    };
    const shrunk = await shrinkJson(value, fails, budget);
    f.minimized = renderRequest({ ...req, body: JSON.stringify(shrunk), describe: undefined });
    baseline = await recover(false);
  }

  const ids: { id: string; make: () => FuzzRequest }[] = [];
  if (o.specials && !o.only) for (const s of specialRequests()) ids.push({ id: s.label, make: () => s });
  if (o.memberTypes && !o.only) {
    memberTypeRequests(o.seed, o.memberTypes).forEach((m, i) =>
      ids.push({ id: `member/${i}: ${m.describe ?? m.label}`, make: () => m }),
    );
  }
  const indexes = o.only ?? Array.from({ length: o.count }, (_, i) => i);
  for (const i of indexes) ids.push({ id: `${o.seed}/${i}`, make: () => generateRequest(o.seed, i) });

  /**
   * Requests the endpoint must refuse before they reach the engine (not JSON, not an object, no
   * known target): their table checksum is deferred and taken once for a whole run of them, just
   * before the next request that could reach the engine. Any change is still caught, and pinned on
   * that run of rejected requests.
   */
  let deferred: string[] = [];
  const refusedUpFront = (req: FuzzRequest): boolean => {
    if ((req.method ?? 'POST') !== 'POST' || (req.path ?? '/') !== '/') return true;
    if (
      !req.target ||
      !/^(DynamoDB_20120810|DynamoDBStreams_20120810|Sortkey_20250101)\.[A-Za-z]+$/.test(req.target)
    )
      return true;
    try {
      const v: unknown = JSON.parse(typeof req.body === 'string' ? req.body : req.body.toString('utf8'));
      return v === null || typeof v !== 'object' || Array.isArray(v);
    } catch {
      return true;
    }
  };
  async function settleDeferred(): Promise<void> {
    if (deferred.length === 0) return;
    const batch = deferred;
    deferred = [];
    const now = await checksum();
    if (now !== baseline) {
      record(
        'changed-on-reject',
        `one of ${batch.length} requests refused as malformed changed the tables`,
        batch[0]!,
        { label: 'deferred', op: '-', target: undefined, contentType: undefined, body: batch.join(', ') },
        batch.join(', '),
      );
    }
    baseline = now;
  }

  let n = 0;
  try {
    for (const { id, make } of ids) {
      if (performance.now() - started > o.maxMs) {
        report.stopReason = `time limit (${(o.maxMs / 1000).toFixed(0)} s) after ${n} requests`;
        break;
      }
      n++;
      let req: FuzzRequest;
      try {
        req = make();
      } catch (e) {
        // A bug in the generator, not in the server: say so and go on.
        log(`  (generator failed for ${id}: ${String(e).slice(0, 200)})`);
        report.generatorErrors++;
        continue;
      }
      const upFront = refusedUpFront(req);
      if (!upFront) await settleDeferred();
      const mark = server.stderrMark();
      const t0 = performance.now();
      const out = await attempt(req);
      const ms = performance.now() - t0;
      report.sent++;
      if (ms > report.slowest.ms) report.slowest = { ms, id, label: req.label };
      if (!('res' in out)) {
        report.statuses[out.kind] = (report.statuses[out.kind] ?? 0) + 1;
        const f = record(
          out.kind === 'dropped' ? 'dropped-connection' : out.kind,
          `${req.op}: ${out.detail.split('\n')[0]!.slice(0, 160)}`,
          id,
          req,
          out.detail,
        );
        if (f && out.kind !== 'dropped')
          await minimize(req, f, out.kind, f.signature.slice(f.kind.length + 2));
        baseline = await recover(false);
        continue;
      }
      const res = out.res;
      report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
      if (res.status === 200) report.accepted++;
      else {
        report.rejected++;
        const name = errorName(res) ?? `(status ${res.status})`;
        report.errors[name] = (report.errors[name] ?? 0) + 1;
      }
      // The server logs an internal error before answering, but the pipe may deliver it a bit later.
      if (res.status >= 500) await sleep(30);
      const stderr = server.stderrSince(mark);
      for (const p of problemsOf(req, res, stderr)) {
        const f = record(p.kind, p.sig, id, req, p.detail);
        if (f && (p.kind === 'internal-error' || p.kind === 'bad-5xx')) await minimize(req, f, p.kind, p.sig);
      }
      if (res.status >= 500 && !(await healthy(server.port))) {
        record('crash', `${req.op}: not serving after a ${res.status}`, id, req, stderr);
        baseline = await recover(false);
        continue;
      }
      // The known tables: unchanged by a rejected request; an accepted write moves the baseline.
      if (res.status === 200 && READ_ONLY.has(req.op) && req.target?.startsWith(DDB)) continue;
      if (res.status !== 200 && upFront) {
        deferred.push(id);
        continue;
      }
      let now: string;
      try {
        now = await checksum();
      } catch (e) {
        record('fixture-broken', `after ${req.op}: ${String(e).slice(0, 200)}`, id, req, String(e));
        baseline = await recover(true);
        continue;
      }
      if (res.status !== 200 && now !== baseline) {
        const f = record(
          'changed-on-reject',
          `${req.op} → ${res.status} ${errorName(res) ?? ''}`,
          id,
          req,
          res.text.slice(0, 500),
        );
        if (f) await minimize(req, f, 'changed-on-reject', f.signature.slice('changed-on-reject: '.length));
        baseline = await recover(false);
        continue;
      }
      baseline = now;
      // Keep the known tables small and populated: accepted requests add items or grow them toward
      // 400 KB, which would make every later checksum slow. Too big: fresh tables.
      const bloated = itemsInChecksum > 400 || checksumChars > 200_000;
      if (bloated || n % 2_000 === 0) baseline = await recover(bloated);
      if (n % 10_000 === 0) log(`  … ${n} requests, ${report.findings.length} distinct findings`);
    }
    await settleDeferred();
  } finally {
    report.elapsedMs = performance.now() - started;
    await server.stop();
  }
  return report;
}

/** Greedy shrinking of a JSON value: drop keys and elements, empty or halve values, while it fails. */
export async function shrinkJson(
  value: unknown,
  fails: (v: unknown) => Promise<boolean>,
  budget: number,
): Promise<unknown> {
  let best = value;
  let attempts = 0;
  let progress = true;
  while (progress && attempts < budget) {
    progress = false;
    for (const candidate of candidates(best)) {
      if (attempts++ >= budget) break;
      if (await fails(candidate)) {
        best = candidate;
        progress = true;
        break;
      }
    }
  }
  return best;
}

/** Simpler variants of a JSON value, biggest cuts first. */
function* candidates(root: unknown): Generator<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (paths.length > 300) return;
    if (path.length) paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object')
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
  };
  walk(root, []);
  const clone = (): unknown => JSON.parse(JSON.stringify(root)) as unknown;
  const at = (
    v: unknown,
    path: (string | number)[],
  ): { parent: Record<string | number, unknown>; key: string | number } => {
    let cur = v as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]!] as Record<string | number, unknown>;
    return { parent: cur, key: path[path.length - 1]! };
  };
  for (const path of paths) {
    const c = clone();
    const { parent, key } = at(c, path);
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    yield c;
  }
  for (const path of paths) {
    const c = clone();
    const { parent, key } = at(c, path);
    const v = parent[key];
    if (typeof v === 'string' && v.length > 1) {
      parent[key] = v.slice(0, Math.ceil(v.length / 2));
      yield c;
    } else if (Array.isArray(v) && v.length > 1) {
      parent[key] = v.slice(0, Math.ceil(v.length / 2));
      yield c;
    }
  }
}
