// A DynamoDB-compatible service as a shell backend: `--endpoint URL` (a running `sortkey serve`,
// DynamoDB Local, …) or `--region R [--profile P]` (DynamoDB itself, with the standard credential
// chain), through the connection layer's RemoteConnection. Statements run as ExecuteStatement on
// the service; EXPLAIN plans on a mirror of the remote tables' keys and indexes (see
// engine/connection/remote.ts).
import { RemoteConnection } from '../../engine/connection/index.js';
import type { RemoteOptions as ConnectionOptions } from '../../engine/connection/index.js';
import { ConnectionBackend } from './connection-backend.js';

export interface RemoteOptions {
  /** An endpoint URL; without it, DynamoDB in `region`. */
  endpoint?: string;
  region?: string;
  profile?: string;
}

export class RemoteBackend extends ConnectionBackend {
  readonly kind = 'remote' as const;
  readonly description: string;
  readonly promptName: string;
  override readonly approximateCounts: boolean;

  constructor(options: RemoteOptions | RemoteConnection) {
    const connection =
      options instanceof RemoteConnection ? options : new RemoteConnection(options as ConnectionOptions);
    super(connection);
    const o = connection.options;
    this.approximateCounts = connection.approximateCounts;
    if (o.endpoint) {
      this.description = `${o.endpoint}${connection.region ? ` (region ${connection.region})` : ''}`;
      this.promptName = new URL(o.endpoint).host;
    } else {
      this.description = connection.description;
      this.promptName = connection.region ?? 'aws';
    }
  }
}
