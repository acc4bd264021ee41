// Names the editor completes: tables, their indexes and attributes (keys, a sample of items, and
// every attribute seen in results since). Refreshed when tables change.
import type { SchemaProvider } from '../../grammar/partiql/index.js';
import type { Item, StudioBackend, StudioSchema } from './backend/api.js';

export class SchemaCache implements SchemaProvider {
  private data: StudioSchema = { tables: [] };
  private extra = new Map<string, Set<string>>();
  private loading: Promise<void> | undefined;

  constructor(private readonly backend: StudioBackend) {}

  refresh(): Promise<void> {
    this.loading = this.backend.schema().then(
      (s) => {
        this.data = s;
      },
      () => {
        // Completion falls back to keywords.
      },
    );
    return this.loading;
  }

  ready(): Promise<void> {
    return this.loading ?? this.refresh();
  }

  /** Remembers attribute names seen in results of a table. */
  noteItems(table: string, items: Item[]): void {
    let set = this.extra.get(table);
    if (!set) this.extra.set(table, (set = new Set()));
    for (const item of items.slice(0, 200)) {
      for (const [k, v] of Object.entries(item)) {
        set.add(k);
        if ('M' in v) for (const sub of Object.keys(v.M)) set.add(`${k}.${sub}`);
      }
    }
  }

  private find(table: string): StudioSchema['tables'][number] | undefined {
    return (
      this.data.tables.find((t) => t.name === table) ??
      this.data.tables.find((t) => t.name.toLowerCase() === table.toLowerCase())
    );
  }

  tables(): readonly string[] {
    return this.data.tables.map((t) => t.name);
  }

  indexes(table: string): readonly string[] {
    return this.find(table)?.indexes ?? [];
  }

  attributes(table: string): readonly string[] {
    const t = this.find(table);
    const out = new Set(t?.attributes ?? []);
    for (const a of this.extra.get(t?.name ?? table) ?? []) out.add(a);
    return [...out];
  }
}
