// The PartiQL page's history and saved queries (and the studio's open tabs, per connection), kept beside the database rather than in a browser's
// localStorage (which is per origin: `localhost` and `127.0.0.1`, or another port, each saw none).
// One JSON file per database in Sortkey's home folder (`<home>/studio/<name>-<hash>.queries.json`),
// read on every call so a browser and the desktop app on the same database see each other's
// changes; an in-memory database keeps them in memory for as long as it lives.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type {
  HistoryEntry,
  OpenTab,
  OpenTabsState,
  QueriesRequest,
  QueryState,
  SavedQuery,
} from '../../renderer/src/backend/api.js';
import { sortkeyHome } from '../defaults.js';

export const MAX_HISTORY = 200;
export const MAX_SAVED = 500;
/** Longest statement kept (a pasted script beyond this is not history). */
const MAX_STATEMENT = 100_000;
/** Open tabs kept for the studio's next start. */
export const MAX_TABS = 50;
/** Connections whose tabs are kept (the ones used longest ago are forgotten first). */
export const MAX_TAB_CONNECTIONS = 50;
/** The embedded database's connection id (connections.ts): its tabs are `tabs`, as before connections. */
const EMBEDDED_CONNECTION = 'embedded';

export interface QueryStore {
  read(): QueryState;
  write(state: QueryState): void;
}

export function memoryQueryStore(): QueryStore {
  let state: QueryState = { history: [], saved: [] };
  return {
    read: () => structuredClone(state),
    write: (next) => {
      state = structuredClone(next);
    },
  };
}

/** The file of a database's queries: named after the database file, plus a hash of its path. */
export function queryStorePath(database: string, home = sortkeyHome()): string {
  const full = resolve(database);
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 12);
  const name = basename(full).replace(/[^A-Za-z0-9_.-]+/g, '_');
  return join(home, 'studio', `${name}-${hash}.queries.json`);
}

export function fileQueryStore(path: string): QueryStore {
  return {
    read() {
      if (!existsSync(path)) return { history: [], saved: [] };
      try {
        const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<QueryState>;
        const tabs = cleanTabs(raw.tabs);
        const connectionTabs = cleanConnectionTabs(raw.connectionTabs);
        return {
          history: Array.isArray(raw.history) ? raw.history.filter(isHistoryEntry) : [],
          saved: Array.isArray(raw.saved) ? raw.saved.filter(isSavedQuery) : [],
          ...(tabs ? { tabs } : {}),
          ...(connectionTabs ? { connectionTabs } : {}),
        };
      } catch {
        // A damaged file is not worth failing the studio for: start over (the next write replaces it).
        return { history: [], saved: [] };
      }
    },
    write(state) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Written whole, then renamed: a reader never sees half a file.
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

/** The store for a database: a file for a database file, memory for `:memory:`. */
export function queryStoreFor(database: string | undefined): QueryStore {
  return database && database !== ':memory:' ? fileQueryStore(queryStorePath(database)) : memoryQueryStore();
}

function isHistoryEntry(v: unknown): v is HistoryEntry {
  const e = v as HistoryEntry | null;
  return (
    !!e &&
    typeof e === 'object' &&
    typeof e.statement === 'string' &&
    e.statement.length <= MAX_STATEMENT &&
    typeof e.at === 'number' &&
    typeof e.ok === 'boolean'
  );
}

function isSavedQuery(v: unknown): v is SavedQuery {
  const q = v as SavedQuery | null;
  return (
    !!q &&
    typeof q === 'object' &&
    typeof q.name === 'string' &&
    q.name.length > 0 &&
    q.name.length <= 200 &&
    typeof q.statement === 'string' &&
    q.statement.length <= MAX_STATEMENT &&
    typeof q.savedAt === 'number'
  );
}

function isOpenTab(v: unknown): v is OpenTab {
  const t = v as OpenTab | null;
  return (
    !!t &&
    typeof t === 'object' &&
    typeof t.id === 'string' &&
    /^[A-Za-z0-9_-]{1,40}$/.test(t.id) &&
    (t.kind === 'query'
      ? t.text === undefined || (typeof t.text === 'string' && t.text.length <= MAX_STATEMENT)
      : t.kind === 'table' &&
        typeof t.table === 'string' &&
        t.table.length > 0 &&
        t.table.length <= 255 &&
        (t.region === undefined || (typeof t.region === 'string' && /^[a-z0-9-]{1,64}$/.test(t.region))))
  );
}

/** The tabs a request or the file holds, without anything else; undefined when not a tab list. */
function cleanTabs(v: unknown): OpenTabsState | undefined {
  const s = v as OpenTabsState | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.tabs) || typeof s.at !== 'number') return undefined;
  const tabs = s.tabs
    .filter(isOpenTab)
    .slice(0, MAX_TABS)
    .map((t) =>
      t.kind === 'table'
        ? { id: t.id, kind: t.kind, table: t.table!, ...(t.region !== undefined ? { region: t.region } : {}) }
        : { id: t.id, kind: t.kind, ...(t.text !== undefined ? { text: t.text } : {}) },
    );
  const active = typeof s.active === 'string' && tabs.some((t) => t.id === s.active) ? s.active : undefined;
  return { tabs, ...(active !== undefined ? { active } : {}), at: s.at };
}

/** A connection id as connections.ts makes them (a UUID) or names the embedded database. */
function isConnectionId(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(v);
}

/** The tabs of each connection, cleaned, at most MAX_TAB_CONNECTIONS (the newest). */
function cleanConnectionTabs(v: unknown): Record<string, OpenTabsState> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const kept = Object.entries(v as Record<string, unknown>)
    .flatMap(([id, tabs]) => {
      const clean = isConnectionId(id) && id !== EMBEDDED_CONNECTION ? cleanTabs(tabs) : undefined;
      return clean ? [[id, clean] as const] : [];
    })
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, MAX_TAB_CONNECTIONS);
  return Object.fromEntries(kept);
}

function cleanHistory(e: HistoryEntry): HistoryEntry {
  return {
    statement: e.statement,
    at: e.at,
    ok: e.ok,
    ...(typeof e.ms === 'number' ? { ms: e.ms } : {}),
    ...(typeof e.count === 'number' ? { count: e.count } : {}),
    ...(typeof e.error === 'string' ? { error: e.error.slice(0, 2000) } : {}),
  };
}

/** Applies one request to the state; throws Error with a message for a malformed one. */
export function applyQueryRequest(state: QueryState, request: QueriesRequest, now = Date.now()): QueryState {
  const r = request as unknown as Record<string, unknown> | null;
  switch (r?.op) {
    case 'list':
      return state;
    case 'addHistory': {
      if (!isHistoryEntry(r.entry)) throw new Error('entry must be a history entry');
      const entry = cleanHistory(r.entry);
      const history = [entry, ...state.history.filter((e) => e.statement !== entry.statement)];
      return { ...state, history: history.slice(0, MAX_HISTORY) };
    }
    case 'clearHistory':
      return { ...state, history: [] };
    case 'save': {
      const q = { name: r.name, statement: r.statement, savedAt: now };
      if (!isSavedQuery(q)) throw new Error('a saved query needs a name (1–200 characters) and a statement');
      return { ...state, saved: [q, ...state.saved.filter((x) => x.name !== q.name)].slice(0, MAX_SAVED) };
    }
    case 'deleteSaved':
      if (typeof r.name !== 'string') throw new Error('name must be a string');
      return { ...state, saved: state.saved.filter((x) => x.name !== r.name) };
    case 'setTabs': {
      const tabs = cleanTabs(r.tabs);
      if (!tabs) throw new Error('tabs must be { tabs: [{ id, kind, table | text }], at }');
      if (r.connection === undefined || r.connection === EMBEDDED_CONNECTION) return { ...state, tabs };
      if (!isConnectionId(r.connection)) throw new Error('connection must be a connection id');
      const connectionTabs = cleanConnectionTabs({ ...state.connectionTabs, [r.connection]: tabs });
      return { ...state, ...(connectionTabs ? { connectionTabs } : {}) };
    }
    case 'import': {
      if (!Array.isArray(r.history) || !Array.isArray(r.saved))
        throw new Error('import takes history and saved lists');
      const seen = new Set(state.history.map((e) => e.statement));
      const history = [
        ...state.history,
        ...r.history
          .filter(isHistoryEntry)
          .filter((e) => !seen.has(e.statement))
          .map(cleanHistory),
      ].sort((a, b) => b.at - a.at);
      const names = new Set(state.saved.map((q) => q.name));
      const saved = [...state.saved, ...r.saved.filter(isSavedQuery).filter((q) => !names.has(q.name))];
      return { ...state, history: history.slice(0, MAX_HISTORY), saved: saved.slice(0, MAX_SAVED) };
    }
    default:
      throw new Error('op must be list, addHistory, clearHistory, save, deleteSaved, setTabs or import');
  }
}
