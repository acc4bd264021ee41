// What the shell knows of the tables: names, key schemas, indexes, and attribute names learned from
// a sampled page of items and from results shown. Completion asks synchronously (the grammar's
// SchemaProvider); `prepare(text)` fetches what a statement mentions beforehand.
import type { SchemaProvider } from '../../grammar/partiql/index.js';
import type { AttributeValue, Item } from '../../engine/types.js';
import type { Backend, TableDescription } from './backend.js';

/** Items sampled per table to learn attribute names. */
export const SAMPLE_SIZE = 25;
/** How long a table list stays fresh, in milliseconds. */
const TABLES_TTL_MS = 5000;
/** How deep nested map attributes are offered (`a.b.c`). */
const MAX_PATH_DEPTH = 3;

interface TableInfo {
  description: TableDescription;
  attributes: Set<string>;
  sampled: boolean;
}

export class SchemaCache implements SchemaProvider {
  private tableNames: string[] = [];
  private tablesAt = 0;
  private readonly info = new Map<string, TableInfo>();

  constructor(
    private readonly backend: Backend,
    private readonly now: () => number = Date.now,
  ) {}

  tables(): readonly string[] {
    return this.tableNames;
  }

  indexes(table: string): readonly string[] {
    const d = this.info.get(table)?.description;
    if (!d) return [];
    return [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName);
  }

  attributes(table: string): readonly string[] {
    const info = this.info.get(table);
    return info ? [...info.attributes] : [];
  }

  description(table: string): TableDescription | undefined {
    return this.info.get(table)?.description;
  }

  /** Key attribute names: the table's partition and sort key, then those of `index` if given. */
  keyNames(table: string, index?: string | null): string[] {
    const d = this.info.get(table)?.description;
    if (!d) return [];
    const order = (ks: { AttributeName: string; KeyType: string }[]) => [
      ...ks.filter((k) => k.KeyType === 'HASH').map((k) => k.AttributeName),
      ...ks.filter((k) => k.KeyType !== 'HASH').map((k) => k.AttributeName),
    ];
    const names = order(d.KeySchema);
    if (index) {
      const ix = [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].find(
        (i) => i.IndexName === index,
      );
      if (ix) for (const n of order(ix.KeySchema)) if (!names.includes(n)) names.push(n);
    }
    return names;
  }

  /** Refreshes the table list when stale (errors leave the old one). */
  async refreshTables(force = false, signal?: AbortSignal): Promise<void> {
    if (!force && this.now() - this.tablesAt < TABLES_TTL_MS && this.tablesAt !== 0) return;
    try {
      this.tableNames = await this.backend.listTables(signal);
      this.tablesAt = this.now();
      for (const name of [...this.info.keys()]) if (!this.tableNames.includes(name)) this.info.delete(name);
    } catch {
      // keep what we had: completion must never fail loudly
    }
  }

  /** Loads a table's description (and, with `sample`, a page of items) if not known yet. */
  async load(table: string, sample: boolean, signal?: AbortSignal): Promise<TableInfo | undefined> {
    let info = this.info.get(table);
    if (!info) {
      let description: TableDescription;
      try {
        description = await this.backend.describeTable(table, signal);
      } catch {
        return undefined;
      }
      info = { description, attributes: new Set(), sampled: false };
      for (const a of description.AttributeDefinitions ?? []) info.attributes.add(a.AttributeName);
      this.info.set(table, info);
    }
    if (sample && !info.sampled) {
      info.sampled = true;
      try {
        this.noteItems(table, await this.backend.sampleItems(table, SAMPLE_SIZE, signal));
      } catch {
        // no sample, only key attributes
      }
    }
    return info;
  }

  /** Gets ready to complete `text`: fresh table list, and every table it names loaded and sampled. */
  async prepare(text: string, signal?: AbortSignal): Promise<void> {
    await this.refreshTables(false, signal);
    const mentioned = this.tableNames.filter((t) => mentions(text, t));
    await Promise.all(mentioned.map((t) => this.load(t, true, signal)));
  }

  /** Learns attribute names (nested map keys as dotted paths) from items seen. */
  noteItems(table: string, items: readonly Item[]): void {
    const info = this.info.get(table);
    if (!info) return;
    for (const item of items) collectPaths(item, '', 1, info.attributes);
  }

  /** Forgets a table (after it changed), so the next use describes it again. */
  forget(table: string): void {
    this.info.delete(table);
  }
}

function collectPaths(
  item: Record<string, AttributeValue>,
  prefix: string,
  depth: number,
  out: Set<string>,
): void {
  for (const [name, value] of Object.entries(item)) {
    const path = prefix + name;
    out.add(path);
    if (depth < MAX_PATH_DEPTH && 'M' in value && !name.includes('.'))
      collectPaths(value.M, `${path}.`, depth + 1, out);
  }
}

/** Whether `text` mentions table `name` as a word or a quoted name. */
function mentions(text: string, name: string): boolean {
  if (text.includes(`"${name.replace(/"/g, '""')}"`)) return true;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$"])${escaped}($|[^A-Za-z0-9_$"])`).test(text);
}
