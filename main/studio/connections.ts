// The studio's connections: the embedded database, endpoints the user adds (DynamoDB Local,
// LocalStack, ScyllaDB Alternator, another Sortkey) and DynamoDB itself through an AWS profile and
// region. The list is per user, kept in `<home>/studio/connections.json` beside the query files
// (query-store.ts); it holds names, URLs, profile names and regions only. Credentials are never
// stored or sent to the UI: remote connections use the AWS SDK's credential chain (~/.aws files,
// SSO, assume-role, environment), read by the SDK when a request is made.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection } from '../../engine/connection/index.js';
import { RemoteConnection } from '../../engine/connection/index.js';
import type { ConnectionInfo, ConnectionsRequest, ConnectionsState } from '../../renderer/src/backend/api.js';
import { sortkeyHome } from '../defaults.js';

export const EMBEDDED_ID = 'embedded';

/** A connection as stored: what to connect to, never how to authenticate. */
export interface SavedConnection {
  id: string;
  name: string;
  endpoint?: string;
  profile?: string;
  region?: string;
  readOnly?: boolean;
}

export interface SavedConnections {
  connections: SavedConnection[];
  /** Read-only flag of the embedded database. */
  embeddedReadOnly?: boolean;
}

export interface ConnectionListStore {
  read(): SavedConnections;
  write(state: SavedConnections): void;
}

export function memoryConnectionStore(initial: SavedConnections = { connections: [] }): ConnectionListStore {
  let state = structuredClone(initial);
  return {
    read: () => structuredClone(state),
    write: (next) => {
      state = structuredClone(next);
    },
  };
}

export function connectionStorePath(home = sortkeyHome()): string {
  return join(home, 'studio', 'connections.json');
}

function isSaved(v: unknown): v is SavedConnection {
  const c = v as SavedConnection | null;
  return !!c && typeof c === 'object' && typeof c.id === 'string' && typeof c.name === 'string';
}

export function fileConnectionStore(path = connectionStorePath()): ConnectionListStore {
  return {
    read() {
      if (!existsSync(path)) return { connections: [] };
      try {
        const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedConnections>;
        return {
          connections: Array.isArray(raw.connections) ? raw.connections.filter(isSaved) : [],
          ...(raw.embeddedReadOnly === true ? { embeddedReadOnly: true } : {}),
        };
      } catch {
        return { connections: [] }; // a damaged file: start over (the next write replaces it)
      }
    },
    write(state) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

/** Section names of an INI file (`[name]`, `[profile name]` in ~/.aws/config). Values are not read. */
function iniSections(path: string, config: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const m of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]\s*$/gm)) {
    const section = m[1]!;
    if (config) {
      // ~/.aws/config: `[default]` and `[profile x]`; `[sso-session x]`, `[services x]` are not profiles.
      if (section === 'default') names.push('default');
      else if (section.startsWith('profile ')) names.push(section.slice('profile '.length).trim());
    } else names.push(section);
  }
  return names;
}

/** Profile names from the shared config and credentials files (names only, as the SDK finds them). */
export function awsProfileNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = join(env.HOME ?? homedir(), '.aws');
  const config = env.AWS_CONFIG_FILE ?? join(dir, 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE ?? join(dir, 'credentials');
  return [...new Set([...iniSections(config, true), ...iniSections(credentials, false)])].sort();
}

/** DynamoDB's commercial regions (https://docs.aws.amazon.com/general/latest/gr/ddb.html). */
export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'sa-east-1',
];

/** A failure to show in the UI (the backend's StudioError is made from it). */
export class ConnectionSettingError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectionManagerOptions {
  embedded: Connection;
  store: ConnectionListStore;
  /** Opens a remote connection (tests count or replace them). */
  open?: (saved: SavedConnection) => Connection;
  env?: NodeJS.ProcessEnv;
}

/** The studio's list of connections and the one in use. */
export class ConnectionManager {
  private currentId = EMBEDDED_ID;
  private readonly open: (saved: SavedConnection) => Connection;
  /** Remote connections opened so far, by id (closed when removed or when the studio closes). */
  private readonly opened = new Map<string, Connection>();

  constructor(private readonly options: ConnectionManagerOptions) {
    this.open =
      options.open ??
      ((saved) =>
        new RemoteConnection({
          ...(saved.endpoint ? { endpoint: saved.endpoint } : {}),
          ...(saved.region ? { region: saved.region } : {}),
          ...(saved.profile ? { profile: saved.profile } : {}),
          // The studio answers a person: give up on a dead endpoint quickly.
          maxAttempts: 3,
          connectTimeoutMs: 3000,
        }));
  }

  private saved(id: string): SavedConnection | undefined {
    return this.options.store.read().connections.find((c) => c.id === id);
  }

  /** The connection in use (the embedded one when the chosen one was removed elsewhere). */
  current(): Connection {
    if (this.currentId === EMBEDDED_ID) return this.options.embedded;
    const saved = this.saved(this.currentId);
    if (!saved) {
      this.currentId = EMBEDDED_ID;
      return this.options.embedded;
    }
    let c = this.opened.get(saved.id);
    if (!c) {
      c = this.open(saved);
      this.opened.set(saved.id, c);
    }
    return c;
  }

  currentInfo(): ConnectionInfo {
    this.current();
    return this.list().connections.find((c) => c.id === this.currentId)!;
  }

  /** True when the connection in use refuses writes. */
  readOnly(): boolean {
    return this.currentInfo().readOnly;
  }

  list(): ConnectionsState {
    const state = this.options.store.read();
    const info = (saved: SavedConnection): ConnectionInfo => ({
      id: saved.id,
      name: saved.name,
      kind: saved.endpoint ? 'endpoint' : 'aws',
      description: saved.endpoint
        ? saved.endpoint
        : `DynamoDB in ${saved.region ?? 'the profile’s region'}${saved.profile ? ` (profile ${saved.profile})` : ''}`,
      ...(saved.endpoint ? { endpoint: saved.endpoint } : {}),
      ...(saved.profile ? { profile: saved.profile } : {}),
      ...(saved.region ? { region: saved.region } : {}),
      readOnly: saved.readOnly === true,
      remote: true,
    });
    const connections: ConnectionInfo[] = [
      {
        id: EMBEDDED_ID,
        name: 'Embedded database',
        kind: 'embedded',
        description: this.options.embedded.description,
        readOnly: state.embeddedReadOnly === true,
        remote: false,
      },
      ...state.connections.map(info),
    ];
    const current = connections.find((c) => c.id === this.currentId) ?? connections[0]!;
    const live = current.id === EMBEDDED_ID ? this.options.embedded : this.opened.get(current.id);
    if (live) {
      const c = live.capabilities;
      current.capabilities = {
        exactExplain: c.exactExplain,
        metrics: c.metrics,
        throttling: c.throttling,
        faultInjection: c.faultInjection,
        partiql: c.partiql ?? null,
      };
    }
    return {
      current: current.id,
      connections,
      awsProfiles: awsProfileNames(this.options.env),
      regions: AWS_REGIONS,
    };
  }

  async apply(request: ConnectionsRequest): Promise<ConnectionsState> {
    const store = this.options.store;
    switch (request.op) {
      case 'list':
        break;
      case 'use': {
        if (request.id !== EMBEDDED_ID && !this.saved(request.id))
          throw new ConnectionSettingError('ResourceNotFoundException', `No connection ${request.id}`);
        this.currentId = request.id;
        this.current();
        break;
      }
      case 'add': {
        const name = typeof request.name === 'string' ? request.name.trim() : '';
        if (!name || name.length > 100)
          throw new ConnectionSettingError(
            'ValidationException',
            'A connection needs a name (1 to 100 characters)',
          );
        const saved: SavedConnection = { id: randomUUID(), name };
        if (request.endpoint !== undefined) {
          let url: URL;
          try {
            url = new URL(request.endpoint);
          } catch {
            throw new ConnectionSettingError('ValidationException', `Not a URL: ${request.endpoint}`);
          }
          if (url.protocol !== 'http:' && url.protocol !== 'https:')
            throw new ConnectionSettingError(
              'ValidationException',
              'An endpoint is an http:// or https:// URL',
            );
          if (url.username || url.password)
            throw new ConnectionSettingError(
              'ValidationException',
              'Credentials do not belong in the URL: the AWS SDK’s credential chain provides them',
            );
          saved.endpoint = url.toString().replace(/\/$/, '');
        } else if (request.profile === undefined && request.region === undefined) {
          throw new ConnectionSettingError(
            'ValidationException',
            'Give an endpoint URL, or an AWS profile and region',
          );
        }
        if (request.region !== undefined) {
          if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(request.region))
            throw new ConnectionSettingError('ValidationException', `Not an AWS region: ${request.region}`);
          saved.region = request.region;
        }
        if (request.profile !== undefined && request.profile !== '') {
          if (!/^[\w.@+-]+$/.test(request.profile))
            throw new ConnectionSettingError('ValidationException', `Not a profile name: ${request.profile}`);
          saved.profile = request.profile;
        }
        if (request.readOnly) saved.readOnly = true;
        const state = store.read();
        state.connections.push(saved);
        store.write(state);
        break;
      }
      case 'remove': {
        if (request.id === EMBEDDED_ID)
          throw new ConnectionSettingError('ValidationException', 'The embedded database cannot be removed');
        const state = store.read();
        state.connections = state.connections.filter((c) => c.id !== request.id);
        store.write(state);
        await this.opened.get(request.id)?.close();
        this.opened.delete(request.id);
        if (this.currentId === request.id) this.currentId = EMBEDDED_ID;
        break;
      }
      case 'setReadOnly': {
        const state = store.read();
        if (request.id === EMBEDDED_ID) state.embeddedReadOnly = request.readOnly === true;
        else {
          const c = state.connections.find((x) => x.id === request.id);
          if (!c)
            throw new ConnectionSettingError('ResourceNotFoundException', `No connection ${request.id}`);
          c.readOnly = request.readOnly === true;
        }
        store.write(state);
        break;
      }
      default:
        throw new ConnectionSettingError('ValidationException', 'Unknown connections request');
    }
    return this.list();
  }

  async close(): Promise<void> {
    for (const c of this.opened.values()) await c.close();
    this.opened.clear();
  }
}
