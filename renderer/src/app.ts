// The studio's frame: header with navigation, the sidebar of tables, and the page on the right.
// Pages: #/query[/<tab>] (a PartiQL editor), #/tables/<name> (table browser), #/indexes/<name> (index designer
// and access patterns), #/metrics[/<name>] (dashboards: all tables, or one), #/audit (the endpoint's audit
// log, when it keeps one). Editors and table
// browsers open as tabs above the page (views/open-tabs.ts), restored on the next start.
import type { RegionList, StudioBackend, StudioInfo, TableSummary } from './backend/api.js';
import { errorText } from './backend/client.js';
import type { SchemaCache } from './schema.js';
import { clear, confirmDialog, countOf, formatBytes, h, toast } from './ui/dom.js';
import { ConnectionSwitcher, connectionState } from './views/connections.js';
import { setThemeChoice, themeChoice } from './ui/theme.js';
import type { ThemeChoice } from './ui/theme.js';
import { openCreateTable } from './views/create-table.js';
import { EditorView } from './views/editor-view.js';
import { IndexDesignerView } from './views/index-designer.js';
import { MetricsView } from './views/metrics.js';
import { AuditLogView } from './views/audit-log.js';
import { TableView } from './views/table-view.js';
import { hashOf, OpenTabs } from './views/open-tabs.js';
import { loadEditorText } from './state.js';

interface Page {
  readonly element: HTMLElement;
  shown?(): void;
  /** Called when another page replaces this one (stop polling). */
  hide?(): void;
}

const NAV = [
  { id: 'query', label: 'PartiQL', hash: '#/query' },
  { id: 'tables', label: 'Tables', hash: '#/tables' },
  { id: 'indexes', label: 'Index designer', hash: '#/indexes' },
  { id: 'metrics', label: 'Metrics', hash: '#/metrics' },
  // Shown when the endpoint keeps an audit log (`sortkey serve --audit FILE`).
  { id: 'audit', label: 'Audit log', hash: '#/audit' },
] as const;

/** How often the sidebar's and header's item counts are refreshed (ms). */
const TABLE_POLL_MS = 1500;

/** What the sidebar and headers show of the tables: redraw only when it changes. */
function signatureOf(tables: TableSummary[]): string {
  return JSON.stringify(tables.map((t) => [t.name, t.status, t.itemCount, t.sizeBytes, t.indexes]));
}

/** Sections whose pages are about one table: the sidebar's links stay in the section. */
const TABLE_SECTIONS = ['tables', 'indexes', 'metrics'];

export class App {
  private tables: TableSummary[] = [];
  private info: StudioInfo | undefined;
  private readonly sidebarList = h('ul.table-list', { 'aria-label': 'Tables' });
  /** The region picker: each region clients sign for has its own tables. */
  private readonly regionBox = h('div.region-box');
  private regionList: RegionList | undefined;
  private regionSignature = '';
  private readonly main = h('main.page');
  private readonly nav = h('nav.nav', { 'aria-label': 'Sections' });
  private readonly infoLine = h('div.conn-info');
  private readonly connections: ConnectionSwitcher;
  private readonly tabs = new OpenTabs({
    go: (tab) => (location.hash = hashOf(tab)),
    closedActive: (next) => {
      this.current = undefined;
      location.hash = next ? hashOf(next) : '#/start';
    },
  });
  private metricsView: MetricsView | undefined;
  private auditView: AuditLogView | undefined;
  private designerView: IndexDesignerView | undefined;
  private currentPage: Page | undefined;
  private current: string | undefined;

  constructor(
    private readonly backend: StudioBackend,
    private readonly schema: SchemaCache,
  ) {
    this.connections = new ConnectionSwitcher(backend, () => void this.connectionChanged());
  }

  /**
   * Another connection is in use: its tables, names and pages replace the previous one's, and its
   * own tabs replace the open ones (a tab never shows a table of another connection).
   */
  private async connectionChanged(): Promise<void> {
    const section = this.section();
    this.generation++;
    this.current = undefined;
    this.tables = [];
    this.renderRegions();
    const [, shown] = await Promise.all([this.refreshTables(), this.tabs.restore(this.connectionId())]);
    void this.schema.refresh();
    // The tab shown last on that connection, else the same section without a table of the other one.
    const next = shown
      ? hashOf(shown)
      : `#/${TABLE_SECTIONS.includes(section) || section === 'query' ? section : 'query'}`;
    if (location.hash !== next) location.hash = next;
    this.current = undefined;
    this.route();
  }

  /** The id of the connection in use (the embedded database until the list is known). */
  private connectionId(): string {
    return connectionState.state?.current ?? 'embedded';
  }

  start(root: HTMLElement): void {
    for (const n of NAV) {
      this.nav.append(
        h(
          'a.nav-link',
          {
            href: n.hash,
            dataset: { nav: n.id },
            title: n.label,
            hidden: n.id === 'audit',
          },
          n.label,
        ),
      );
    }
    const sidebar = h(
      'aside.sidebar',
      null,
      h(
        'div.sidebar-head',
        null,
        h('h2', null, 'Tables'),
        h(
          'button.icon-button',
          { title: 'Refresh', 'aria-label': 'Refresh tables', onclick: () => void this.refreshTables() },
          '⟳',
        ),
        h('button.small.primary', { onclick: () => this.createTable(), 'data-testid': 'new-table' }, '+ New'),
      ),
      this.regionBox,
      this.sidebarList,
    );
    clear(
      root,
      h(
        'header.topbar',
        null,
        h('div.brand', null, h('span.logo', null, '◆'), 'Sortkey Studio'),
        this.nav,
        this.connections.element,
        this.infoLine,
        this.themeSelect(),
      ),
      h('div.body', null, sidebar, h('div.workspace', null, this.tabs.element, this.main)),
    );
    window.sortkeyStudio?.onMenu?.((command) => this.menu(command));
    void this.loadInfo();
    // Pages are routed once the tabs of the last session are back (the hash may name one of them);
    // they are the tabs of the connection in use, so the connection is known first.
    const restored = this.connections.load().then(() => this.tabs.restore(this.connectionId()));
    void Promise.all([this.refreshTables(), restored]).then(() => {
      window.addEventListener('hashchange', () => this.route());
      this.route();
    });
    void this.schema.refresh();
    setInterval(() => void this.pollTables(), TABLE_POLL_MS);
  }

  /** System, light or dark (the choice is remembered; System follows the operating system). */
  private themeSelect(): HTMLSelectElement {
    const choice = themeChoice();
    return h(
      'select.theme-select',
      {
        'aria-label': 'Theme',
        title: 'Theme',
        'data-testid': 'theme-select',
        onchange: (e: Event) => setThemeChoice((e.target as HTMLSelectElement).value as ThemeChoice),
      },
      (
        [
          ['system', 'System theme'],
          ['light', 'Light'],
          ['dark', 'Dark'],
        ] as const
      ).map(([value, label]) => h('option', { value, selected: value === choice }, label)),
    );
  }

  private async loadInfo(): Promise<void> {
    try {
      this.info = await this.backend.info();
      const i = this.info;
      const auditLink = this.nav.querySelector<HTMLElement>('[data-nav="audit"]');
      if (auditLink) auditLink.hidden = i.auditLog === undefined;
      clear(
        this.infoLine,
        h(
          'span',
          { title: i.database ?? '' },
          i.database === ':memory:' ? 'in-memory database' : ((i.database ?? '').split(/[\\/]/).pop() ?? ''),
        ),
        i.endpoint ? h('span.endpoint', { title: 'DynamoDB endpoint' }, i.endpoint) : null,
        h('span.version', null, `v${i.version}`),
      );
    } catch (e) {
      clear(this.infoLine, h('span.error-text', null, errorText(e)));
    }
  }

  /** Reloads the sidebar; returns the tables. */
  async refreshTables(): Promise<TableSummary[]> {
    const generation = this.generation;
    try {
      const tables = await this.backend.listTables();
      // Asked before another connection was chosen: that connection's tables are not these.
      if (generation !== this.generation) return this.tables;
      this.tables = tables;
    } catch (e) {
      toast(`Could not list tables: ${errorText(e)}`, 'error');
    }
    await this.refreshRegions();
    this.tablesSignature = signatureOf(this.tables);
    this.renderSidebar();
    this.updateTableViews();
    return this.tables;
  }

  private tablesSignature = '';
  private polling = false;
  /** Counts connection and region switches: a table list asked for before the last one is dropped. */
  private generation = 0;

  /**
   * Item counts change with every write, from the studio, the SDK or another process sharing the
   * file. The engine keeps them live (DescribeTable), so the sidebar and the table header ask for
   * them every few seconds while the page is visible and redraw only when something changed.
   */
  private async pollTables(): Promise<void> {
    if (this.polling || document.visibilityState !== 'visible') return;
    this.polling = true;
    const generation = this.generation;
    try {
      const tables = await this.backend.listTables();
      if (generation !== this.generation) return;
      const regionsChanged = await this.refreshRegions();
      const signature = signatureOf(tables);
      if (signature === this.tablesSignature) {
        if (regionsChanged) this.renderSidebar();
        return;
      }
      const names = (list: TableSummary[]): string => list.map((t) => t.name).join('\n');
      const namesChanged = names(tables) !== names(this.tables);
      this.tables = tables;
      this.tablesSignature = signature;
      this.renderSidebar();
      this.updateTableViews();
      if (namesChanged) void this.schema.refresh();
      // A tab whose table was missing shows it once it is there (created meanwhile).
      if (namesChanged && this.current?.startsWith('tables:missing:')) {
        this.current = undefined;
        this.route();
      }
    } catch {
      // The server may be restarting: the next round tries again.
    } finally {
      this.polling = false;
    }
  }

  /** Open table tabs show their table's current counts. */
  private updateTableViews(): void {
    for (const view of this.tabs.views()) {
      if (!(view instanceof TableView)) continue;
      const summary = this.tables.find((t) => t.name === view.tableName);
      if (summary) view.updateSummary(summary);
    }
  }

  /** Reads the regions that hold tables; true when they changed since the last look. */
  private async refreshRegions(): Promise<boolean> {
    let list: RegionList;
    try {
      list = await this.backend.regions();
    } catch {
      return false;
    }
    const signature = JSON.stringify(list);
    if (signature === this.regionSignature) return false;
    this.regionSignature = signature;
    this.regionList = list;
    this.renderRegions();
    // Another window chose another region: a tab of the previous one has nothing to show here.
    if (this.tabs.showsOtherRegion()) this.leaveRegionTab();
    return true;
  }

  /** Shows the table tab used last in the region now shown, else the section's page. */
  private leaveRegionTab(): void {
    const tab = this.tabs.last('table')?.tab;
    const next = tab ? hashOf(tab) : `#/${this.section()}`;
    // The same address (a table of the same name): no hashchange, so the page is routed here.
    if (location.hash !== next) location.hash = next;
    else {
      this.current = undefined;
      this.route();
    }
  }

  private renderRegions(): void {
    const list = this.regionList;
    // The regions are the embedded database's; a remote connection has its region in its settings.
    const remote = !!connectionState.current?.remote;
    this.regionBox.hidden = remote;
    this.tabs.setRegion(list && !remote ? { current: list.current, default: list.default } : undefined);
    if (!list) return;
    const regions = [...list.regions];
    if (!regions.some((r) => r.region === list.current)) regions.push({ region: list.current, tables: 0 });
    regions.sort((a, b) => (a.region < b.region ? -1 : 1));
    clear(
      this.regionBox,
      h(
        'label.region-label',
        { title: 'Each region an application signs its requests for has its own tables' },
        'Region ',
        h(
          'select.region-select',
          {
            'data-testid': 'region-select',
            'aria-label': 'Region',
            onchange: (e: Event) => void this.switchRegion((e.target as HTMLSelectElement).value),
          },
          regions.map((r) =>
            h(
              'option',
              { value: r.region, ...(r.region === list.current ? { selected: true } : {}) },
              `${r.region} (${countOf(r.tables, 'table')})`,
            ),
          ),
        ),
      ),
    );
  }

  /** Shows another region's tables. */
  async switchRegion(region: string): Promise<void> {
    try {
      this.regionList = await this.backend.useRegion({ region });
      this.regionSignature = JSON.stringify(this.regionList);
    } catch (e) {
      toast(`Could not switch region: ${errorText(e)}`, 'error');
      return;
    }
    this.renderRegions();
    this.generation++;
    this.tabs.dropViews('table');
    this.current = undefined;
    await this.refreshTables();
    void this.schema.refresh();
    void this.loadInfo();
    // A page about a table of the previous region has nothing to show here: the tab used last in
    // this one is shown, if any.
    if (this.selectedTable() !== undefined) this.leaveRegionTab();
    else this.route();
  }

  private renderSidebar(): void {
    const selected = this.selectedTable();
    const section = this.section();
    const linkSection = TABLE_SECTIONS.includes(section) ? section : 'tables';
    const list = this.regionList;
    const elsewhere = list ? list.regions.filter((r) => r.region !== list.current && r.tables > 0) : [];
    clear(
      this.sidebarList,
      this.tables.length === 0 && list && elsewhere.length > 0
        ? // DynamoDB Local's classic trap: the application's tables are in another region.
          h(
            'li.empty.region-hint',
            { 'data-testid': 'region-hint' },
            `No tables in ${list.current}; ${elsewhere.map((r) => `${r.region} has ${r.tables}`).join(', ')}. `,
            h(
              'button.small',
              { onclick: () => void this.switchRegion(elsewhere[0]!.region) },
              `Show ${elsewhere[0]!.region}`,
            ),
          )
        : this.tables.length === 0
          ? h('li.empty', null, 'No tables yet. Create one, or run CREATE through the SDK.')
          : null,
      this.tables.map((t) => {
        const keys = t.keySchema.map((k) => {
          const type =
            t.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ?? '?';
          return `${k.AttributeName}:${type}`;
        });
        return h(
          'li',
          { class: t.name === selected ? 'active' : '' },
          h(
            'a.table-link',
            { href: `#/${linkSection}/${encodeURIComponent(t.name)}`, dataset: { table: t.name } },
            h('span.table-name', null, t.name),
            h('span.table-keys', null, keys.join(' · ')),
            h(
              'span.table-meta',
              null,
              `${countOf(t.itemCount, 'item')} · ${formatBytes(t.sizeBytes)}`,
              t.indexes.length ? ` · ${t.indexes.length} index${t.indexes.length > 1 ? 'es' : ''}` : '',
              t.status !== 'ACTIVE' ? ` · ${t.status}` : '',
            ),
          ),
        );
      }),
    );
  }

  private selectedTable(): string | undefined {
    const m = /^#\/(?:tables|indexes|metrics)\/(.+)$/.exec(location.hash);
    return m ? decodeURIComponent(m[1]!) : undefined;
  }

  private section(): string {
    return /^#\/(\w+)/.exec(location.hash || '#/query')?.[1] ?? 'query';
  }

  private route(): void {
    const hash = location.hash || '#/query';
    const section = /^#\/(\w+)/.exec(hash)?.[1] ?? 'query';
    for (const a of this.nav.querySelectorAll<HTMLElement>('.nav-link'))
      a.classList.toggle('active', a.dataset.nav === section);
    this.renderSidebar();
    if (section === 'tables') {
      const name = this.selectedTable() ?? this.tabs.last('table')?.tab.table ?? this.tables[0]?.name;
      if (!name)
        return this.show('tables:none', {
          element: h(
            'div.placeholder',
            null,
            h('h2', null, 'No tables'),
            h('p', null, 'Create a table with “+ New” in the sidebar.'),
          ),
        });
      const summary = this.tables.find((t) => t.name === name);
      if (!summary) {
        // A restored tab of a table that is gone (or in another region) stays, to be closed.
        this.tabs.activate(this.tabs.findTable(name)?.tab.id);
        this.show(`tables:missing:${name}`, {
          element: h(
            'div.placeholder',
            null,
            h('h2', null, `No table “${name}”`),
            h('p', null, 'It may have been deleted.'),
          ),
        });
        return;
      }
      const entry = this.tabs.table(name);
      const view = this.tabs.viewOf(
        entry,
        () =>
          new TableView(this.backend, summary, {
            onDeleteTable: () => this.deleteTable(summary.name),
            onChanged: () => void this.refreshTables(),
            onQuery: (text) => {
              location.hash = '#/query';
              this.editorView().insertStatement(text);
            },
          }),
      );
      this.tabs.activate(entry.tab.id);
      this.show(`tab:${entry.tab.id}`, view);
      return;
    }
    if (section === 'metrics') {
      this.metricsView ??= new MetricsView(this.backend, { tables: () => this.tables });
      this.metricsView.show(this.selectedTable());
      this.show('metrics', this.metricsView);
      return;
    }
    if (section === 'audit') {
      this.auditView ??= new AuditLogView(this.backend, { tables: () => this.tables });
      this.show('audit', this.auditView);
      return;
    }
    if (section === 'indexes') {
      this.designerView ??= new IndexDesignerView(this.backend, {
        tables: () => this.tables,
        refreshTables: () => this.refreshTables(),
        onQuery: (text) => {
          location.hash = '#/query';
          this.editorView().insertStatement(text);
        },
        onCreateTable: () => this.createTable(),
      });
      this.designerView.show(this.selectedTable());
      this.show('indexes', this.designerView);
      return;
    }
    if (section === 'start') {
      return this.show('start', {
        element: h(
          'div.placeholder',
          null,
          h('h2', null, 'Nothing open'),
          h('p', null, 'Open a table from the sidebar, or a PartiQL editor with “+” above.'),
        ),
      });
    }
    const id = /^#\/query\/([\w-]+)$/.exec(hash)?.[1];
    const editor = this.editorTab(id);
    this.show(`tab:${editor.id}`, editor.view);
  }

  private editorView(): EditorView {
    return this.editorTab().view;
  }

  /** The editor `#/query` shows: the tab `id`, else the one used last, else a new tab. */
  private editorTab(id?: string): { id: string; view: EditorView } {
    const named = id !== undefined ? this.tabs.find(id) : undefined;
    const entry =
      (named?.tab.kind === 'query' ? named : undefined) ?? this.tabs.editor() ?? this.tabs.newEditor();
    const tabId = entry.tab.id;
    // The first editor of a studio without saved tabs starts from this window's earlier text.
    const initial = entry.tab.text ?? loadEditorText() ?? undefined;
    const view = this.tabs.viewOf(
      entry,
      () =>
        new EditorView(
          this.backend,
          this.schema,
          { onTablesChanged: () => void this.refreshTables(), tables: () => this.tables },
          { ...(initial !== undefined ? { initial } : {}), save: (text) => this.tabs.setText(entry, text) },
        ),
    );
    this.tabs.activate(tabId);
    return { id: tabId, view };
  }

  private show(key: string, page: Page): void {
    if (this.current === key) return;
    // Metrics, the index designer and placeholders are pages, not tabs.
    if (!key.startsWith('tab:') && !key.startsWith('tables:missing')) this.tabs.activate(undefined);
    if (this.currentPage !== page) this.currentPage?.hide?.();
    this.current = key;
    this.currentPage = page;
    this.main.replaceChildren(page.element);
    page.shown?.();
  }

  private createTable(): void {
    openCreateTable(this.backend, async (name) => {
      await this.refreshTables();
      void this.schema.refresh();
      location.hash = `#/tables/${encodeURIComponent(name)}`;
    });
  }

  private async deleteTable(name: string): Promise<void> {
    const ok = await confirmDialog({
      title: 'Delete table',
      message: h(
        'span',
        null,
        'This deletes the table ',
        h('strong', null, name),
        ' and every item in it. It cannot be undone.',
      ),
      confirm: `Delete ${name}`,
      danger: true,
      typeToConfirm: name,
    });
    if (!ok) return;
    try {
      await this.backend.deleteTable({ table: name });
      toast(`Deleted table ${name}`, 'ok');
      this.current = undefined;
      const tab = this.tabs.findTable(name);
      if (tab) this.tabs.dropTab(tab.tab.id);
      await this.refreshTables();
      void this.schema.refresh();
      location.hash = '#/tables';
      this.route();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  /** Commands from Electron's native menu. */
  private menu(command: string): void {
    switch (command) {
      case 'new-table':
        this.createTable();
        break;
      case 'run':
        location.hash = '#/query';
        void this.editorView().runAtCursor();
        break;
      case 'explain':
        location.hash = '#/query';
        void this.editorView().explainAtCursor();
        break;
      case 'refresh':
        void this.refreshTables();
        void this.schema.refresh();
        break;
      case 'show-query':
        location.hash = '#/query';
        break;
      case 'show-tables':
        location.hash = '#/tables';
        break;
    }
  }
}
