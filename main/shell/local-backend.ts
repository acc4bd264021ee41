// The embedded engine as a shell backend: the default database, a named SQLite file, or in memory.
import { resolve } from 'node:path';
import { EmbeddedConnection } from '../../engine/connection/index.js';
import { Engine } from '../../engine/engine.js';
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

  /** Opens a SQLite file (created if missing) or, with `':memory:'`, a scratch database. */
  static open(path: string): LocalBackend {
    if (path === ':memory:') {
      return new LocalBackend(Engine.inMemory(), 'in-memory database (gone when the shell exits)');
    }
    const file = resolve(path);
    ensureDatabaseDir(file);
    return new LocalBackend(new Engine({ path: file }), file);
  }
}
