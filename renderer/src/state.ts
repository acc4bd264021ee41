// Query history and saved queries, kept in localStorage (per origin: per port in browser mode, the
// app's own storage in Electron), so they survive restarts.
export interface HistoryEntry {
  statement: string;
  at: number;
  ok: boolean;
  ms?: number;
  count?: number;
  error?: string;
}

export interface SavedQuery {
  name: string;
  statement: string;
  savedAt: number;
}

const HISTORY_KEY = 'sortkey.studio.history';
const SAVED_KEY = 'sortkey.studio.saved';
const EDITOR_KEY = 'sortkey.studio.editor';
const MAX_HISTORY = 200;

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
    // Storage full or disabled: history is a convenience.
  }
}

export function loadHistory(): HistoryEntry[] {
  return read<HistoryEntry[]>(HISTORY_KEY, []);
}

export function addHistory(entry: HistoryEntry): HistoryEntry[] {
  const list = loadHistory().filter((e) => e.statement !== entry.statement);
  list.unshift(entry);
  list.length = Math.min(list.length, MAX_HISTORY);
  write(HISTORY_KEY, list);
  return list;
}

export function clearHistory(): void {
  write(HISTORY_KEY, []);
}

export function loadSaved(): SavedQuery[] {
  return read<SavedQuery[]>(SAVED_KEY, []);
}

export function saveQuery(name: string, statement: string): SavedQuery[] {
  const list = loadSaved().filter((q) => q.name !== name);
  list.unshift({ name, statement, savedAt: Date.now() });
  write(SAVED_KEY, list);
  return list;
}

export function deleteSaved(name: string): SavedQuery[] {
  const list = loadSaved().filter((q) => q.name !== name);
  write(SAVED_KEY, list);
  return list;
}

export function loadEditorText(): string | null {
  return read<string | null>(EDITOR_KEY, null);
}

export function saveEditorText(text: string): void {
  write(EDITOR_KEY, text);
}
