// Query history and saved queries. They live beside the database (the backend's `queries` method:
// a file per database in Sortkey's home folder), so every browser origin (`localhost`,
// `127.0.0.1`, any port) and the desktop app see the same ones. The page keeps a copy for drawing;
// every change goes to the backend and the copy is replaced by its answer. The editor's own text
// stays in localStorage: it is the state of this window, not of the database.
import type {
  HistoryEntry,
  OpenTabsState,
  QueriesRequest,
  QueryState,
  SavedQuery,
  StudioBackend,
} from './backend/api.js';

export type { HistoryEntry, SavedQuery } from './backend/api.js';

/** Where earlier versions kept history and saved queries (imported once, then removed). */
const LEGACY_HISTORY_KEY = 'sortkey.studio.history';
const LEGACY_SAVED_KEY = 'sortkey.studio.saved';
const EDITOR_KEY = 'sortkey.studio.editor';
/** This window's copy of the open tabs (written at once, so a reload right after typing keeps it). */
const TABS_KEY = 'sortkey.studio.tabs';

let backend: StudioBackend | undefined;
let state: QueryState = { history: [], saved: [] };
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the editor's text is a convenience.
  }
}

async function send(request: QueriesRequest): Promise<QueryState> {
  if (!backend) return state;
  state = await backend.queries(request);
  for (const l of listeners) l();
  return state;
}

/**
 * Connects the store to the backend and loads it; what this browser kept in localStorage before
 * is moved over once.
 */
export function connectQueries(to: StudioBackend): Promise<void> {
  backend = to;
  loading = (async () => {
    const history = read<HistoryEntry[]>(LEGACY_HISTORY_KEY, []);
    const saved = read<SavedQuery[]>(LEGACY_SAVED_KEY, []);
    try {
      if (history.length || saved.length) {
        await send({ op: 'import', history, saved });
        localStorage.removeItem(LEGACY_HISTORY_KEY);
        localStorage.removeItem(LEGACY_SAVED_KEY);
      } else await send({ op: 'list' });
    } catch {
      // The server is unreachable: the lists stay empty until the next change.
    }
  })();
  return loading;
}

/** Reloads the lists (another window may have changed them). */
export async function refreshQueries(): Promise<void> {
  await loading;
  try {
    await send({ op: 'list' });
  } catch {
    // Keep the copy.
  }
}

/** Calls `listener` whenever the lists change. */
export function onQueriesChanged(listener: () => void): void {
  listeners.add(listener);
}

export function loadHistory(): HistoryEntry[] {
  return state.history;
}

export async function addHistory(entry: HistoryEntry): Promise<HistoryEntry[]> {
  return (await send({ op: 'addHistory', entry })).history;
}

export async function clearHistory(): Promise<void> {
  await send({ op: 'clearHistory' });
}

export function loadSaved(): SavedQuery[] {
  return state.saved;
}

export async function saveQuery(name: string, statement: string): Promise<SavedQuery[]> {
  return (await send({ op: 'save', name, statement })).saved;
}

export async function deleteSaved(name: string): Promise<SavedQuery[]> {
  return (await send({ op: 'deleteSaved', name })).saved;
}

export function loadEditorText(): string | null {
  return read<string | null>(EDITOR_KEY, null);
}

export function saveEditorText(text: string): void {
  write(EDITOR_KEY, text);
}

/** The embedded database's connection id (its tabs keep the key they had before connections). */
const EMBEDDED = 'embedded';

function tabsKey(connection: string): string {
  return connection === EMBEDDED ? TABS_KEY : `${TABS_KEY}.${connection}`;
}

/**
 * The open tabs of a connection to restore: the backend's (beside the database), or this window's
 * own copy when it is newer (the last keystrokes before a reload may not have reached the backend).
 */
export async function loadTabs(connection = EMBEDDED): Promise<OpenTabsState | undefined> {
  await loading;
  // Tabs saved a moment ago (another connection was in use) reach the backend first.
  await Promise.all([...pendingTabs.values()].map((p) => p.flush()));
  try {
    if (backend) state = await backend.queries({ op: 'list' });
  } catch {
    // Keep the copy.
  }
  const local = read<OpenTabsState | null>(tabsKey(connection), null);
  const stored = connection === EMBEDDED ? state.tabs : state.connectionTabs?.[connection];
  if (local && Array.isArray(local.tabs) && (!stored || local.at > stored.at)) return local;
  return stored;
}

/** Tabs waiting to be sent, per connection (a switch must not send one connection's to another). */
const pendingTabs = new Map<string, { timer: ReturnType<typeof setTimeout>; flush(): Promise<void> }>();

/** Keeps a connection's open tabs: in this window at once, beside the database soon after. */
export function saveTabs(connection: string, tabs: OpenTabsState): void {
  write(tabsKey(connection), tabs);
  const before = pendingTabs.get(connection);
  if (before) clearTimeout(before.timer);
  const flush = async (): Promise<void> => {
    if (pendingTabs.get(connection) !== entry) return;
    clearTimeout(entry.timer);
    pendingTabs.delete(connection);
    // Not a change of the lists: the answer replaces the copy without redrawing them.
    try {
      if (backend)
        state = await backend.queries({
          op: 'setTabs',
          tabs,
          ...(connection === EMBEDDED ? {} : { connection }),
        });
    } catch {
      // This window's copy stays.
    }
  };
  const entry = { timer: setTimeout(() => void flush(), 300), flush };
  pendingTabs.set(connection, entry);
}
