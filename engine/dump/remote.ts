// A remote DynamoDB-compatible service (DynamoDB itself, another Sortkey, DynamoDB Local, ScyllaDB
// Alternator) as a source or target of dumps: the connection layer's RemoteConnection (AWS SDK,
// credential chain, retries with backoff on throttling), plus the few table-level steps dumps
// need on top of single operations.
import type { Connection, TableDescription } from '../connection/index.js';
import { sleep } from '../connection/index.js';

export { backoffMs, isRetryable, RemoteConnection, sleep } from '../connection/index.js';
export type { RemoteOptions } from '../connection/index.js';

/** Every table name, page after page. */
export async function listTables(connection: Connection): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await connection.call('ListTables', start ? { ExclusiveStartTableName: start } : {});
    names.push(...(out.TableNames ?? []));
    start = out.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** DescribeTable's description, or undefined when the table does not exist. */
export async function describeTable(
  connection: Connection,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    return (await connection.call('DescribeTable', { TableName: name })).Table;
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

/** Waits until the table (and its indexes) are ACTIVE. */
export async function waitActive(
  connection: Connection,
  name: string,
  timeoutMs = 10 * 60 * 1000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
    const t = await describeTable(connection, name);
    if (
      t &&
      t.TableStatus === 'ACTIVE' &&
      (t.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`table ${name} did not become ACTIVE within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(delay);
  }
}

/** A table's tags (none when the service keeps no tags). */
export async function tags(connection: Connection, arn: string): Promise<{ Key: string; Value: string }[]> {
  const all: { Key: string; Value: string }[] = [];
  let token: string | undefined;
  try {
    do {
      const out = await connection.call('ListTagsOfResource', {
        ResourceArn: arn,
        ...(token ? { NextToken: token } : {}),
      });
      all.push(...(out.Tags ?? []));
      token = out.NextToken;
    } while (token);
  } catch {
    return all; // not every compatible service keeps tags
  }
  return all;
}
