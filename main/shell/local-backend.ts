// The embedded engine as a shell backend: the default database, a named SQLite file, or in memory.
import { resolve } from 'node:path';
import { EmbeddedConnection } from '../../engine/connection/index.js';
import { Engine } from '../../engine/engine.js';
import type { EngineOptions } from '../../engine/engine.js';
import { ensureDatabaseDir } from '../defaults.js';
import { ConnectionBackend } from './connection-backend.js';

export class LocalBackend extends ConnectionBackend {
  readonly kind = 'local' as const;
  readonly description: string;
  readonly promptName = 'sortkey';

  constructor(
    readonly engine: Engine,
    description: string,
    ownsEngine = true,
  ) {
    super(new EmbeddedConnection(engine, description, ownsEngine));
    this.description = description;
  }

  /**
   * Opens a SQLite file (created if missing) or, with `':memory:'`, a scratch database, on the
   * tables of `options.region` (default us-east-1, as the server's default).
   */
  static open(path: string, options: Omit<EngineOptions, 'path'> = {}): LocalBackend {
    if (path === ':memory:') {
      return new LocalBackend(Engine.inMemory(options), 'in-memory database (gone when the shell exits)');
    }
    const file = resolve(path);
    ensureDatabaseDir(file);
    return new LocalBackend(new Engine({ ...options, path: file }), file);
  }

  /** The region whose tables the shell works on. */
  get region(): string {
    return this.engine.defaultNamespace.region;
  }

  /** Switches to another region's tables (`.region NAME`). */
  useRegion(region: string): void {
    this.engine.setDefaultRegion(region);
  }

  /** Every region that holds tables (of this account), with how many. */
  regions(): Promise<{ region: string; tables: number }[]> {
    const account = this.engine.defaultNamespace.accountId;
    return Promise.resolve(
      this.engine
        .regions()
        .filter((r) => r.accountId === account)
        .map((r) => ({ region: r.region, tables: r.tables })),
    );
  }
}
