// The studio's tabs: every table browser and PartiQL editor the user opens stays open as a tab above
// the page, with its own view (query settings, results, editor text, scroll) kept while another tab
// is shown, until it is closed with ×. The list — kind, table name or editor text — is kept beside
// the database (state.ts) and restored when the studio starts again. Each connection has its own
// tabs (a tab names a table of one connection): switching connections puts the tabs away and brings
// back the other connection's. A table tab also names its region (each region has its own tables):
// only the tabs of the region shown are listed, and the others come back with their region. Views
// are made on first show, so restored tabs cost nothing until they are opened.
import type { OpenTab } from '../backend/api.js';
import { loadTabs, saveTabs } from '../state.js';
import { clear, h } from '../ui/dom.js';

export interface TabView {
  readonly element: HTMLElement;
  shown?(): void;
  hide?(): void;
  destroy?(): void;
}

export interface Entry {
  tab: OpenTab;
  view?: TabView;
}

export interface OpenTabsCallbacks {
  /** Shows a tab (the app routes to its page). */
  go(tab: OpenTab): void;
  /** The tab shown was closed: show `next` (a neighbour), or nothing when none is left. */
  closedActive(next: OpenTab | undefined): void;
}

/** The page address of a tab. */
export function hashOf(tab: OpenTab): string {
  return tab.kind === 'table' ? `#/tables/${encodeURIComponent(tab.table!)}` : `#/query/${tab.id}`;
}

export class OpenTabs {
  readonly element = h('div.open-tabs', {
    role: 'tablist',
    'aria-label': 'Open tabs',
    'data-testid': 'open-tabs',
  });
  private entries: Entry[] = [];
  private activeId: string | undefined;
  /** The connection whose tabs these are. */
  private connection = 'embedded';
  /** The tab of each kind used last: the editor `#/query` means, the table `#/tables` means. */
  private readonly lastOf: Partial<Record<OpenTab['kind'], string>> = {};
  /** The region shown and the default one (a tab saved without a region is in it); none: remote. */
  private region: { current: string; default: string } | undefined;

  constructor(private readonly callbacks: OpenTabsCallbacks) {
    this.render();
  }

  /**
   * Shows the tabs of `connection` (kept beside the database), putting away the ones shown (their
   * views go: they belong to another connection). Returns the tab shown last on it, if any.
   */
  async restore(connection: string): Promise<OpenTab | undefined> {
    if (connection !== this.connection) {
      for (const e of this.entries) {
        e.view?.hide?.();
        e.view?.destroy?.();
      }
      this.entries = [];
      this.activeId = undefined;
      for (const kind of Object.keys(this.lastOf) as OpenTab['kind'][]) delete this.lastOf[kind];
      this.connection = connection;
      this.render();
    }
    const saved = await loadTabs(connection);
    // Another switch happened meanwhile: that one's tabs are shown.
    if (connection !== this.connection) return undefined;
    const ids = new Set<string>();
    // Keep tabs opened while the list was loading; drop duplicates a damaged copy could hold.
    const restored = (saved?.tabs ?? []).filter((t) => !ids.has(t.id) && ids.add(t.id));
    this.entries = [...restored.map((tab) => ({ tab })), ...this.entries.filter((e) => !ids.has(e.tab.id))];
    this.render();
    return (saved?.active !== undefined ? this.find(saved.active)?.tab : undefined) ?? this.entries[0]?.tab;
  }

  /** Lists the table tabs of `region` (undefined: every tab; a remote connection has one region). */
  setRegion(region: { current: string; default: string } | undefined): void {
    if (region?.current === this.region?.current && region?.default === this.region?.default) return;
    this.region = region ? { current: region.current, default: region.default } : undefined;
    this.render();
  }

  /** Whether the tab shown is a table tab of another region than the one listed. */
  showsOtherRegion(): boolean {
    const active = this.activeId !== undefined ? this.find(this.activeId) : undefined;
    return !!active && !this.listed(active);
  }

  /** Whether a tab belongs to the region shown (editors belong to every region). */
  private listed(entry: Entry): boolean {
    const { tab } = entry;
    return (
      tab.kind !== 'table' || !this.region || (tab.region ?? this.region.default) === this.region.current
    );
  }

  private shownEntries(): Entry[] {
    return this.entries.filter((e) => this.listed(e));
  }

  find(id: string): Entry | undefined {
    return this.entries.find((e) => e.tab.id === id);
  }

  /** The tab of a table of the region shown. */
  findTable(name: string): Entry | undefined {
    return this.entries.find((e) => e.tab.kind === 'table' && e.tab.table === name && this.listed(e));
  }

  /** The table's tab, opened when missing (in the region shown). */
  table(name: string): Entry {
    const region = this.region ? { region: this.region.current } : {};
    return this.findTable(name) ?? this.add({ id: this.nextId('t'), kind: 'table', table: name, ...region });
  }

  /** The tab of a kind used last (or the first one) of the region shown, if any is open. */
  last(kind: OpenTab['kind']): Entry | undefined {
    const id = this.lastOf[kind];
    const used = id !== undefined ? this.find(id) : undefined;
    return (
      (used && this.listed(used) ? used : undefined) ?? this.shownEntries().find((e) => e.tab.kind === kind)
    );
  }

  /** The editor used last (or the first one), if any is open. */
  editor(): Entry | undefined {
    return this.last('query');
  }

  /** A new PartiQL editor tab; without text, the editor starts with its welcome text. */
  newEditor(text?: string): Entry {
    return this.add({ id: this.nextId('q'), kind: 'query', ...(text !== undefined ? { text } : {}) });
  }

  /** The view of a tab, made on first use. */
  viewOf<V extends TabView>(entry: Entry, make: () => V): V {
    entry.view ??= make();
    return entry.view as V;
  }

  views(): TabView[] {
    return this.entries.flatMap((e) => (e.view ? [e.view] : []));
  }

  /** Marks the tab shown (none: a page that is not a tab). */
  activate(id: string | undefined): void {
    const changed = id !== undefined && id !== this.activeId;
    this.activeId = id;
    const kind = id !== undefined ? this.find(id)?.tab.kind : undefined;
    if (kind) this.lastOf[kind] = id;
    // The tab shown is kept too: using the connection again shows it again.
    if (changed && kind) this.save();
    this.render();
  }

  /** An editor's text changed: kept for the next start (not when its tab was put away meanwhile). */
  setText(entry: Entry, text: string): void {
    if (!this.entries.includes(entry) || entry.tab.text === text) return;
    entry.tab.text = text;
    this.save();
  }

  /** Closes a tab (its view goes); closing the one shown shows a neighbour. */
  close(id: string): void {
    const index = this.shownEntries().findIndex((e) => e.tab.id === id);
    const wasActive = id === this.activeId;
    if (!this.dropTab(id) || !wasActive) return;
    const shown = this.shownEntries();
    const next = shown[index] ?? shown[index - 1];
    this.callbacks.closedActive(next?.tab);
  }

  /** Closes a tab without showing another (its table was deleted: the app shows what comes next). */
  dropTab(id: string): boolean {
    const index = this.entries.findIndex((e) => e.tab.id === id);
    if (index < 0) return false;
    const [entry] = this.entries.splice(index, 1);
    entry!.view?.hide?.();
    entry!.view?.destroy?.();
    if (id === this.activeId) this.activeId = undefined;
    this.save();
    this.render();
    return true;
  }

  /** Drops the views of one kind (another connection or region: they are made again when shown). */
  dropViews(kind: OpenTab['kind']): void {
    for (const e of this.entries) {
      if (e.tab.kind !== kind || !e.view) continue;
      e.view.destroy?.();
      delete e.view;
    }
  }

  private add(tab: OpenTab): Entry {
    const entry = { tab };
    this.entries.push(entry);
    this.save();
    this.render();
    return entry;
  }

  private nextId(prefix: 't' | 'q'): string {
    let n = 1;
    for (const e of this.entries) {
      const m = /^[tq](\d+)$/.exec(e.tab.id);
      if (m && e.tab.id[0] === prefix) n = Math.max(n, Number(m[1]) + 1);
    }
    return `${prefix}${n}`;
  }

  private save(): void {
    const active = this.activeId !== undefined && this.find(this.activeId) ? this.activeId : undefined;
    saveTabs(this.connection, {
      tabs: this.entries.map((e) => ({ ...e.tab })),
      ...(active !== undefined ? { active } : {}),
      at: Date.now(),
    });
  }

  private titleOf(tab: OpenTab): string {
    return tab.kind === 'table' ? tab.table! : `PartiQL ${tab.id.slice(1)}`;
  }

  private render(): void {
    clear(
      this.element,
      this.shownEntries().map(({ tab }) => {
        const title = this.titleOf(tab);
        return h(
          'div.open-tab',
          {
            role: 'tab',
            'aria-selected': String(tab.id === this.activeId),
            class: `open-tab ${tab.kind}${tab.id === this.activeId ? ' active' : ''}`,
            dataset: { tabId: tab.id, kind: tab.kind, ...(tab.table ? { table: tab.table } : {}) },
            'data-testid': 'open-tab',
            title: tab.kind === 'table' ? `Table ${title}` : title,
            onclick: () => this.callbacks.go(tab),
            // A middle click closes, as in browsers.
            onauxclick: (e: MouseEvent) => {
              if (e.button === 1) this.close(tab.id);
            },
          },
          h('span.open-tab-icon', null, tab.kind === 'table' ? '▦' : '⌨'),
          h('span.open-tab-title', null, title),
          h(
            'button.open-tab-close',
            {
              title: `Close ${title}`,
              'aria-label': `Close ${title}`,
              'data-testid': 'close-tab',
              onclick: (e: MouseEvent) => {
                e.stopPropagation();
                this.close(tab.id);
              },
            },
            '×',
          ),
        );
      }),
      h(
        'button.open-tab-new',
        {
          title: 'New PartiQL editor',
          'aria-label': 'New PartiQL editor',
          'data-testid': 'new-editor-tab',
          onclick: () => this.callbacks.go(this.newEditor('').tab),
        },
        '+',
      ),
    );
  }
}
