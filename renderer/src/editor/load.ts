// Monaco and the editors built on it are a chunk of their own, fetched when the first editor opens
// (the PartiQL page shortly after start, the item editor on demand): the page's first script is the
// app without them, so the tables, metrics and designer pages never wait for Monaco.
import type * as Editors from './editors.js';

export type EditorModules = typeof Editors;

let loading: Promise<EditorModules> | undefined;

/** Monaco, set up, with the PartiQL language and the item JSON (loaded once). */
export function loadEditor(): Promise<EditorModules> {
  loading ??= import('./editors.js').then((m) => {
    m.setupMonaco();
    return m;
  });
  // A failed fetch (the server went away) is tried again next time.
  loading.catch(() => (loading = undefined));
  return loading;
}
