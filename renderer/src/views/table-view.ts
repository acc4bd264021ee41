// The table browser: the items of one table in a grid, read page by page (Scan or Query through the
// backend's `read`, which keeps reading until a page is full, so filters never leave empty pages), a
// query builder (index, partition key, sort-key condition, filters), and the item editor.
import type { Item, ReadInput, StudioBackend, TableSummary } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import {
  buildRead,
  buildStatement,
  emptyBuilder,
  FILTER_OPERATORS,
  SORT_OPERATORS,
} from '../lib/query-builder.js';
import type { BuilderState, FilterRow, KeyTarget } from '../lib/query-builder.js';
import { TYPE_NAMES } from '../lib/values.js';
import type { TypeName } from '../lib/values.js';
import { clear, confirmDialog, countOf, formatBytes, formatCount, formatMs, h, toast } from '../ui/dom.js';
import { openCodeDialog } from './code-dialog.js';
import { openTableSettings } from './table-settings.js';
import { openStreamViewer } from './stream-viewer.js';
import { bulkDelete, bulkUpdate } from './bulk-actions.js';
import type { BulkOutcome } from './bulk-actions.js';
import { ItemGrid } from './grid.js';
import { COPY_FORMATS, formatRows } from '../lib/copy-formats.js';
import type { CopyFormat } from '../lib/copy-formats.js';
import { openItemEditor } from './item-editor.js';
import { openExportDialog, openImportDialog } from './dump-dialog.js';

export interface TableViewCallbacks {
  onDeleteTable(): void;
  onChanged(): void;
  onQuery(statement: string): void;
}

const PAGE_SIZES = [50, 100, 250, 500, 1000];

/** `pk = "a", sk = 3` for a confirmation message. */
function keyLabel(key: Item): string {
  return Object.entries(key)
    .map(([name, v]) => `${name} = ${'N' in v ? v.N : 'S' in v ? JSON.stringify(v.S) : JSON.stringify(v)}`)
    .join(', ');
}

export class TableView {
  readonly element: HTMLElement;
  private readonly builderBox = h('section.builder', { 'aria-label': 'Query builder' });
  private readonly gridHost = h('div.grid-host.items-grid', { 'data-testid': 'items-grid' });
  private readonly status = h('div.browse-status', { 'data-testid': 'browse-status' });
  private readonly moreButton: HTMLButtonElement;
  private readonly grid: ItemGrid;
  private readonly facts = h('span.table-facts', { 'data-testid': 'table-facts' });
  /** A global table's replicas: region, status and replication lag (ReplicationLatency). */
  private readonly replicasBox = h('div.index-list.replica-list', {
    'data-testid': 'replicas',
    hidden: true,
  });
  /** Average ReplicationLatency over the last five minutes, by receiving region. */
  private lag = new Map<string, number | null>();
  private lagAsked = 0;
  private readonly bulkBar = h('div.bulk-bar', { 'data-testid': 'bulk-bar', hidden: true });
  private state: BuilderState = emptyBuilder();
  private request: { operation: 'Query' | 'Scan'; input: ReadInput } | undefined;
  private nextKey: Item | undefined;
  private loading = false;
  private done = false;
  private scanned = 0;
  private capacity = 0;
  private elapsed = 0;
  private pageSize = 100;
  private generation = 0;

  constructor(
    private readonly backend: StudioBackend,
    private table: TableSummary,
    private readonly callbacks: TableViewCallbacks,
  ) {
    this.moreButton = h(
      'button.small',
      { onclick: () => void this.loadMore(), 'data-testid': 'browse-more' },
      'Load more',
    );
    this.grid = new ItemGrid(this.gridHost, {
      keySchema: table.keySchema,
      onOpenItem: (item) => this.edit(item),
      onDeleteKey: (item) => {
        const selected = this.grid.selected();
        // Delete on one of several selected rows deletes the selection (with the count).
        if (selected.length > 1 && selected.includes(item)) void this.bulk('delete');
        else void this.deleteFromGrid(item);
      },
      onSelectionChanged: (selected) => this.renderBulkBar(selected.length),
      onNearEnd: () => void this.loadMore(),
      // Read ahead while scrolling: a page more than the rows below the view, so a reader rarely waits.
      aheadRows: () => this.pageSize,
      overlay: 'No items match',
    });
    this.element = h(
      'div.table-page',
      { 'data-testid': 'table-page' },
      this.header(),
      this.builderBox,
      this.gridHost,
      // The bulk bar sits below the grid: appearing on the first selected row, it must not move the
      // rows under the pointer (a double-click's second click would land on another row).
      this.bulkBar,
      h('footer.browse-footer', null, this.status, this.moreButton),
    );
    this.renderFacts();
    this.renderBuilder();
    void this.run();
  }

  shown(): void {
    this.grid.api.sizeColumnsToFit?.();
  }

  get tableName(): string {
    return this.table.name;
  }

  /** The table's counts changed (a write here, through the SDK, another process): show them. */
  updateSummary(summary: TableSummary): void {
    this.table = summary;
    this.renderFacts();
    if (!this.loading && this.request) this.renderStatus();
  }

  /** Shows the table's replicas, and asks (at most every few seconds) for their replication lag. */
  private renderReplicas(): void {
    const replicas = this.table.replicas ?? [];
    this.replicasBox.hidden = replicas.length === 0;
    clear(this.replicasBox);
    if (replicas.length === 0) return;
    this.replicasBox.append(
      h('span.replica-label', null, 'Replicas'),
      ...replicas.map((r) => {
        const lag = this.lag.get(r.region);
        return h(
          'span.index-chip.replica-chip',
          { 'data-testid': `replica-${r.region}`, title: 'Replica in another region (global table)' },
          h('strong', null, r.region),
          ` ${r.status}`,
          lag === undefined || lag === null ? '' : ` · lag ${formatMs(lag)}`,
        );
      }),
    );
    if (Date.now() - this.lagAsked > 3000) void this.refreshLag();
  }

  private async refreshLag(): Promise<void> {
    this.lagAsked = Date.now();
    const end = Math.floor(Date.now() / 1000) + 1;
    try {
      const m = await this.backend.getMetrics({
        table: this.table.name,
        startTime: end - 300,
        endTime: end,
        period: 300,
        metrics: ['ReplicationLatency'],
      });
      const lag = new Map<string, number | null>();
      for (const s of m.Metrics) {
        if (s.MetricName === 'ReplicationLatency' && s.ReceivingRegion)
          lag.set(s.ReceivingRegion, s.Statistics.Average?.[0] ?? null);
      }
      this.lag = lag;
      this.renderReplicas();
    } catch {
      // A connection without Sortkey's metrics (DynamoDB itself): the replicas show without lag.
    }
  }

  private renderFacts(): void {
    this.renderReplicas();
    const t = this.table;
    this.facts.textContent = `${countOf(t.itemCount, 'item')} · ${formatBytes(t.sizeBytes)} · ${t.billingMode === 'PAY_PER_REQUEST' ? 'on-demand' : 'provisioned'}`;
  }

  private keyText(schema: TableSummary['keySchema']): HTMLElement[] {
    return schema.map((k) => {
      const type =
        this.table.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ??
        '?';
      return h(
        'span.key-chip',
        { title: k.KeyType === 'HASH' ? 'Partition key' : 'Sort key' },
        h('span.key-role', null, k.KeyType === 'HASH' ? 'PK' : 'SK'),
        `${k.AttributeName}`,
        h('span.key-type', null, type),
      );
    });
  }

  private header(): HTMLElement {
    const t = this.table;
    return h(
      'header.table-header',
      null,
      h(
        'div.table-title',
        null,
        h('h1', { 'data-testid': 'table-title' }, t.name),
        this.keyText(t.keySchema),
        this.facts,
      ),
      this.replicasBox,
      t.indexes.length
        ? h(
            'div.index-list',
            null,
            t.indexes.map((i) =>
              h(
                'span.index-chip',
                { title: `${i.kind} · projection ${i.projectionType}` },
                h('strong', null, i.kind),
                ` ${i.name} (${i.keySchema.map((k) => k.AttributeName).join(', ')})`,
              ),
            ),
          )
        : null,
      h(
        'div.table-actions',
        null,
        h('button.primary', { onclick: () => this.newItem(), 'data-testid': 'new-item' }, '+ New item'),
        h(
          'button',
          {
            onclick: () => this.openInPartiql(),
            'data-testid': 'open-partiql',
            title: 'The same read as a PartiQL SELECT',
          },
          'Open in PartiQL',
        ),
        h(
          'button',
          {
            onclick: () => this.showCode(),
            'data-testid': 'show-code',
            title: 'This read as code: AWS SDKs for JavaScript, Python, Java and Go, and the AWS CLI',
          },
          'Code',
        ),
        h(
          'button',
          {
            onclick: () =>
              void openTableSettings(this.backend, this.table.name, {
                onChanged: () => this.callbacks.onChanged(),
                onTableCreated: () => this.callbacks.onChanged(),
              }),
            'data-testid': 'table-settings-open',
            title: 'Capacity, TTL, stream, backups, tags and more',
          },
          'Settings',
        ),
        h(
          'button',
          {
            onclick: () =>
              openStreamViewer(this.backend, this.table.name, {
                onEnabled: () => this.callbacks.onChanged(),
              }),
            'data-testid': 'stream-open',
            title: 'A live tail of the table’s stream',
          },
          'Stream',
        ),
        h(
          'button',
          {
            onclick: () =>
              openExportDialog(this.backend, {
                table: this.table.name,
                ...(this.request ? { read: this.request } : {}),
                selected: this.grid.selected(),
                keyNames: this.table.keySchema.map((k) => k.AttributeName),
              }),
            'data-testid': 'export-open',
            title:
              'Save the table, this query or the selected rows to a file, in any format sortkey export writes',
          },
          'Export…',
        ),
        h(
          'button',
          {
            onclick: () =>
              openImportDialog(this.backend, this.table.name, {
                onImported: () => (this.callbacks.onChanged(), void this.run()),
              }),
            'data-testid': 'import-open',
            title: 'Load items from a file (all-or-nothing, with a report of bad records)',
          },
          'Import…',
        ),
        h('button', { onclick: () => void this.run(), title: 'Reload from the first page' }, 'Refresh'),
        h(
          'button.danger-outline',
          { onclick: () => this.callbacks.onDeleteTable(), 'data-testid': 'delete-table' },
          'Delete table',
        ),
      ),
    );
  }

  /** Opens the exact PartiQL equivalent of the builder's read in the editor. */
  private openInPartiql(): void {
    const errorBox = this.builderBox.querySelector('.builder-error');
    try {
      const statement = buildStatement(this.table.name, this.target(), this.state);
      if (errorBox) errorBox.textContent = '';
      this.callbacks.onQuery(statement);
    } catch (e) {
      if (errorBox) errorBox.textContent = (e as Error).message;
    }
  }

  /** The builder's read as SDK and CLI code (the same input the browser sends). */
  private showCode(): void {
    const errorBox = this.builderBox.querySelector('.builder-error');
    try {
      const request = buildRead(this.table.name, this.target(), this.state);
      if (errorBox) errorBox.textContent = '';
      void openCodeDialog(this.backend, request);
    } catch (e) {
      if (errorBox) errorBox.textContent = (e as Error).message;
    }
  }

  private target(): KeyTarget {
    const index = this.table.indexes.find((i) => i.name === this.state.index);
    const keySchema = index ? index.keySchema : this.table.keySchema;
    const types: KeyTarget['types'] = {};
    for (const d of this.table.attributeDefinitions) types[d.AttributeName] = d.AttributeType;
    return { keySchema, types };
  }

  private renderBuilder(): void {
    const s = this.state;
    const target = this.target();
    const hash = target.keySchema.find((k) => k.KeyType === 'HASH');
    const range = target.keySchema.find((k) => k.KeyType === 'RANGE');
    const rerender = (): void => this.renderBuilder();
    const modeButtons = (['Scan', 'Query'] as const).map((m) =>
      h(
        'button',
        {
          class: s.mode === m ? 'segment active' : 'segment',
          'data-testid': `mode-${m}`,
          onclick: () => ((s.mode = m), rerender()),
        },
        m,
      ),
    );
    const indexSelect = h(
      'select',
      {
        'aria-label': 'Index',
        'data-testid': 'index-select',
        onchange: (e: Event) => (
          (s.index = (e.target as HTMLSelectElement).value),
          (s.sortOp = ''),
          rerender()
        ),
      },
      h('option', { value: '', selected: s.index === '' }, `Table ${this.table.name}`),
      this.table.indexes.map((i) =>
        h('option', { value: i.name, selected: s.index === i.name }, `${i.kind} ${i.name}`),
      ),
    );
    const input = (
      value: string,
      set: (v: string) => void,
      label: string,
      testId?: string,
    ): HTMLInputElement =>
      h('input', {
        type: 'text',
        value,
        'aria-label': label,
        placeholder: label,
        'data-testid': testId,
        oninput: (e: Event) => set((e.target as HTMLInputElement).value),
        onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && void this.run(),
      });

    const keyRow =
      s.mode === 'Query' && hash
        ? h(
            'div.builder-row',
            null,
            h('span.builder-label', null, h('span.key-role', null, 'PK'), ` ${hash.AttributeName} =`),
            input(
              s.partitionValue,
              (v) => (s.partitionValue = v),
              `${hash.AttributeName} (${target.types[hash.AttributeName] ?? 'S'})`,
              'pk-value',
            ),
            range
              ? [
                  h('span.builder-label', null, h('span.key-role', null, 'SK'), ` ${range.AttributeName}`),
                  h(
                    'select',
                    {
                      'aria-label': 'Sort key condition',
                      'data-testid': 'sk-op',
                      onchange: (e: Event) => (
                        (s.sortOp = (e.target as HTMLSelectElement).value as BuilderState['sortOp']),
                        rerender()
                      ),
                    },
                    SORT_OPERATORS.map((o) =>
                      h('option', { value: o, selected: s.sortOp === o }, o === '' ? 'any' : o),
                    ),
                  ),
                  s.sortOp
                    ? input(
                        s.sortValue,
                        (v) => (s.sortValue = v),
                        `${range.AttributeName} (${target.types[range.AttributeName] ?? 'S'})`,
                        'sk-value',
                      )
                    : null,
                  s.sortOp === 'BETWEEN' ? h('span', null, 'and') : null,
                  s.sortOp === 'BETWEEN'
                    ? input(s.sortValue2, (v) => (s.sortValue2 = v), 'upper bound', 'sk-value2')
                    : null,
                  h(
                    'label.inline',
                    null,
                    h('input', {
                      type: 'checkbox',
                      'data-testid': 'descending',
                      checked: s.descending,
                      onchange: (e: Event) => (s.descending = (e.target as HTMLInputElement).checked),
                    }),
                    'descending',
                  ),
                ]
              : null,
          )
        : null;

    const filterRows = s.filters.map((f, i) => this.filterRow(f, i));
    clear(
      this.builderBox,
      h(
        'div.builder-row',
        null,
        h('div.segmented', { role: 'group', 'aria-label': 'Read with' }, modeButtons),
        indexSelect,
        h(
          'label.inline',
          null,
          'Page size',
          h(
            'select',
            {
              'aria-label': 'Page size',
              // A new page size reads again from the start, with pages of that size.
              onchange: (e: Event) => {
                this.pageSize = Number((e.target as HTMLSelectElement).value);
                void this.run();
              },
            },
            PAGE_SIZES.map((n) =>
              h('option', { value: String(n), selected: n === this.pageSize }, String(n)),
            ),
          ),
        ),
        h('span.spacer'),
        h(
          'button',
          {
            onclick: () => (
              s.filters.push({ attribute: '', op: '=', type: 'S', value: '', value2: '' }),
              rerender()
            ),
            'data-testid': 'add-filter',
          },
          '+ Filter',
        ),
        h('button', { onclick: () => ((this.state = emptyBuilder()), rerender(), void this.run()) }, 'Reset'),
        h(
          'button.primary',
          { onclick: () => void this.run(), 'data-testid': 'browse-run' },
          s.mode === 'Query' ? 'Query' : 'Scan',
        ),
      ),
      keyRow,
      filterRows,
      h('div.builder-error', { role: 'alert', 'data-testid': 'builder-error' }),
    );
  }

  private filterRow(f: FilterRow, i: number): HTMLElement {
    const rerender = (): void => this.renderBuilder();
    const noValue = f.op === 'exists' || f.op === 'not_exists';
    return h(
      'div.builder-row.filter-row',
      null,
      h('span.builder-label', null, i === 0 ? 'Filter' : 'and'),
      h('input', {
        type: 'text',
        value: f.attribute,
        placeholder: 'attribute (a.b for nested)',
        'aria-label': 'Filter attribute',
        'data-testid': `filter-attr-${i}`,
        oninput: (e: Event) => (f.attribute = (e.target as HTMLInputElement).value),
      }),
      h(
        'select',
        {
          'aria-label': 'Filter operator',
          'data-testid': `filter-op-${i}`,
          onchange: (e: Event) => (
            (f.op = (e.target as HTMLSelectElement).value as FilterRow['op']),
            rerender()
          ),
        },
        FILTER_OPERATORS.map((o) => h('option', { value: o, selected: f.op === o }, o.replace('_', ' '))),
      ),
      noValue
        ? null
        : h(
            'select',
            {
              'aria-label': 'Value type',
              'data-testid': `filter-type-${i}`,
              onchange: (e: Event) => (f.type = (e.target as HTMLSelectElement).value as TypeName),
            },
            TYPE_NAMES.filter((t) => t !== 'NULL').map((t) =>
              h('option', { value: t, selected: f.type === t }, t),
            ),
          ),
      noValue
        ? null
        : h('input', {
            type: 'text',
            value: f.value,
            placeholder: f.op === 'IN' ? 'a, b, c' : 'value',
            'aria-label': 'Filter value',
            'data-testid': `filter-value-${i}`,
            oninput: (e: Event) => (f.value = (e.target as HTMLInputElement).value),
            onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && void this.run(),
          }),
      f.op === 'BETWEEN'
        ? h('input', {
            type: 'text',
            value: f.value2,
            placeholder: 'upper bound',
            'aria-label': 'Upper bound',
            oninput: (e: Event) => (f.value2 = (e.target as HTMLInputElement).value),
          })
        : null,
      h(
        'button.icon-button',
        { 'aria-label': 'Remove filter', onclick: () => (this.state.filters.splice(i, 1), rerender()) },
        '×',
      ),
    );
  }

  /** Starts reading from the first page with the builder's current state. */
  async run(): Promise<void> {
    const errorBox = this.builderBox.querySelector('.builder-error');
    try {
      this.request = buildRead(this.table.name, this.target(), this.state);
      if (errorBox) errorBox.textContent = '';
    } catch (e) {
      if (errorBox) errorBox.textContent = (e as Error).message;
      return;
    }
    this.generation++;
    this.nextKey = undefined;
    this.done = false;
    this.scanned = 0;
    this.capacity = 0;
    this.elapsed = 0;
    this.grid.setKeySchema(this.table.keySchema);
    this.grid.setItems([]);
    this.loading = false;
    await this.loadMore(true);
  }

  async loadMore(first = false): Promise<void> {
    if (!this.request || this.loading || (this.done && !first)) return;
    this.loading = true;
    const generation = this.generation;
    let loadedNow = 0;
    clear(this.status, h('span.spinner'), 'Reading…');
    try {
      const r = await this.backend.read({
        operation: this.request.operation,
        input: { ...this.request.input, ...(this.nextKey ? { ExclusiveStartKey: this.nextKey } : {}) },
        want: this.pageSize,
      });
      if (generation !== this.generation) return;
      this.grid.addItems(r.items);
      loadedNow = r.items.length;
      this.nextKey = r.lastEvaluatedKey;
      this.done = !r.lastEvaluatedKey;
      this.scanned += r.scannedCount;
      this.capacity += r.consumedCapacity;
      this.elapsed += r.elapsedMs;
      this.grid.syncOverlay();
    } catch (e) {
      if (generation !== this.generation) return;
      this.done = true;
      toast(errorText(e), 'error');
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.renderStatus();
        // Still near the end after a read the scrolling asked for, or a read that stopped short of a
        // page (its time budget ran out on a filter that matches little): keep reading.
        if (!this.done && (!first || loadedNow < this.pageSize)) this.grid.checkNearEnd();
      }
    }
  }

  private renderStatus(): void {
    const loaded = this.grid.items.length;
    const filtered = !!this.request?.input.FilterExpression;
    clear(
      this.status,
      h('strong', { 'data-testid': 'loaded-count' }, countOf(loaded, 'item')),
      filtered ? ` matched of ${formatCount(this.scanned)} read` : ` loaded`,
      this.request?.operation === 'Scan' && !filtered ? ` of ${formatCount(this.table.itemCount)}` : '',
      h('span.sep', null, '·'),
      this.done
        ? h('span', { 'data-testid': 'browse-end' }, 'end of results')
        : 'more available (scroll or Load more)',
      h('span.sep', null, '·'),
      `${this.request?.operation ?? ''} ${formatMs(this.elapsed)}, ${this.capacity} RCU`,
    );
    this.moreButton.hidden = this.done;
  }

  private keyInfo(): {
    keySchema: TableSummary['keySchema'];
    attributeDefinitions: TableSummary['attributeDefinitions'];
  } {
    return { keySchema: this.table.keySchema, attributeDefinitions: this.table.attributeDefinitions };
  }

  private newItem(): void {
    const template: Item = {};
    for (const k of this.table.keySchema) {
      const t =
        this.table.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ??
        'S';
      template[k.AttributeName] = t === 'N' ? { N: '0' } : t === 'B' ? { B: '' } : { S: '' };
    }
    this.openEditor(template, true);
  }

  private renderBulkBar(count: number): void {
    this.bulkBar.hidden = count === 0;
    clear(
      this.bulkBar,
      h('strong', { 'data-testid': 'bulk-count' }, `${countOf(count, 'item')} selected`),
      h(
        'button.small.danger-outline',
        { onclick: () => void this.bulk('delete'), 'data-testid': 'bulk-delete' },
        'Delete…',
      ),
      h(
        'button.small',
        { onclick: () => void this.bulk('set'), 'data-testid': 'bulk-set' },
        'Set attribute…',
      ),
      h(
        'button.small',
        { onclick: () => void this.bulk('remove'), 'data-testid': 'bulk-remove' },
        'Remove attribute…',
      ),
      h(
        'select.small',
        {
          'aria-label': 'Copy the selected items as',
          'data-testid': 'bulk-copy',
          onchange: (e: Event) => {
            const select = e.target as HTMLSelectElement;
            const format = select.value as CopyFormat | '';
            select.value = '';
            if (format) void this.copySelected(format);
          },
        },
        h('option', { value: '' }, 'Copy as…'),
        COPY_FORMATS.map((f) => h('option', { value: f.id }, f.label)),
      ),
      h(
        'button.small.link',
        { onclick: () => this.grid.api.deselectAll(), 'data-testid': 'bulk-clear' },
        'Clear selection',
      ),
    );
  }

  /** Copies the selected rows as JSON, DynamoDB JSON, CSV or PartiQL INSERT statements. */
  private async copySelected(format: CopyFormat): Promise<void> {
    const items = this.grid.selected();
    let text: string;
    try {
      text = formatRows(
        format,
        items,
        this.table.name,
        this.table.keySchema.map((k) => k.AttributeName),
      );
    } catch (e) {
      toast((e as Error).message, 'error');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      const label = COPY_FORMATS.find((f) => f.id === format)!.label;
      toast(`Copied ${countOf(items.length, 'item')} as ${label}`, 'ok');
    } catch {
      toast('The browser refused access to the clipboard', 'error');
    }
  }

  /** A bulk action on the selected rows; the grid shows the outcome without reading again. */
  private async bulk(action: 'delete' | 'set' | 'remove'): Promise<void> {
    const items = this.grid.selected();
    if (items.length === 0) return;
    const keySchema = this.table.keySchema;
    const outcome: BulkOutcome =
      action === 'delete'
        ? await bulkDelete(this.backend, this.table.name, keySchema, items)
        : await bulkUpdate(this.backend, this.table.name, keySchema, items, action);
    for (const item of outcome.deleted) this.grid.removeItem(item);
    for (const item of outcome.updated) this.grid.updateItem(item);
    if (outcome.deleted.length || outcome.updated.length) {
      this.callbacks.onChanged();
      this.renderStatus();
    }
    this.renderBulkBar(this.grid.selected().length);
  }

  /** Delete pressed on a row: asks, then deletes the item unless it changed since it was read. */
  private async deleteFromGrid(item: Item): Promise<void> {
    const key: Item = {};
    for (const k of this.table.keySchema) key[k.AttributeName] = item[k.AttributeName]!;
    const ok = await confirmDialog({
      title: 'Delete item',
      message: h(
        'span',
        null,
        'Delete the item ',
        h('code', null, keyLabel(key)),
        '? This cannot be undone.',
      ),
      confirm: 'Delete item',
      danger: true,
      confirmTestId: 'confirm-delete-item',
    });
    if (!ok) return this.grid.focusRowOf(item);
    try {
      const r = await this.backend.deleteItem({ table: this.table.name, key, expected: item });
      if (!r.ok) {
        toast('The item changed since it was read: open it (Enter) to see the current version', 'error');
        return;
      }
      const at = this.grid.items.indexOf(item);
      this.grid.removeItem(item);
      this.callbacks.onChanged();
      this.renderStatus();
      toast('Deleted', 'ok');
      this.grid.focusRow(Math.min(at, this.grid.items.length - 1));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  private edit(item: Item): void {
    this.openEditor(item, false);
  }

  private openEditor(item: Item, isNew: boolean): void {
    const index = this.request?.input.IndexName;
    openItemEditor({
      backend: this.backend,
      table: this.table.name,
      keys: this.keyInfo(),
      item,
      isNew,
      ...(index ? { index } : {}),
      onSaved: (saved) => {
        this.grid.updateItem(saved);
        this.grid.syncOverlay();
        this.callbacks.onChanged();
        this.renderStatus();
      },
      onDeleted: (deleted) => {
        this.grid.removeItem(deleted);
        this.callbacks.onChanged();
        this.renderStatus();
      },
    });
  }

  destroy(): void {
    this.generation++;
    this.grid.destroy();
  }
}
