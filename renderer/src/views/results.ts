// The results of a statement: a grid, the same items as JSON or DynamoDB JSON, the EXPLAIN plan,
// and a status line with the count, elapsed time and consumed capacity. "Load more" follows NextToken.
import type { ConsumedCapacity, ExplainResult, Item, KeySchemaElement } from '../backend/api.js';
import { itemsToPlainText } from '../lib/values.js';
import { clear, formatCount, formatMs, h } from '../ui/dom.js';
import { ItemGrid } from './grid.js';
import { TextView } from './text-view.js';

type Tab = 'table' | 'json' | 'dynamo' | 'plan';

export interface ResultsCallbacks {
  onLoadMore(): void;
  onOpenItem?(item: Item): void;
}

export class ResultsPanel {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly status = h('div.results-status', { 'data-testid': 'results-status' });
  private readonly body = h('div.results-body');
  private readonly gridHost = h('div.grid-host', { 'data-testid': 'results-grid' });
  private readonly text = new TextView();
  /** Which text the text view holds: tab and item count (rebuilt only when they change). */
  private textOf = '';
  private readonly planBox = h('div.plan', { 'data-testid': 'plan' });
  private readonly message = h('div.results-message');
  private readonly moreButton: HTMLButtonElement;
  private grid: ItemGrid | undefined;
  private items: Item[] = [];
  private plan: ExplainResult | undefined;
  private tab: Tab = 'table';
  private totalMs = 0;
  private capacity = 0;
  private pages = 0;
  /** Counts results shown (a new result with as many items needs a new text). */
  private generation = 0;

  constructor(private readonly callbacks: ResultsCallbacks) {
    this.moreButton = h(
      'button.small',
      { onclick: () => callbacks.onLoadMore(), hidden: true, 'data-testid': 'load-more' },
      'Load more',
    );
    this.tabs = h(
      'div.tabs',
      { role: 'tablist' },
      (['table', 'json', 'dynamo', 'plan'] as const).map((t) =>
        h(
          'button.tab',
          { role: 'tab', dataset: { tab: t }, onclick: () => this.select(t) },
          { table: 'Table', json: 'JSON', dynamo: 'DynamoDB JSON', plan: 'Plan' }[t],
        ),
      ),
    );
    this.element = h(
      'section.results',
      { 'aria-label': 'Results' },
      h('div.results-head', null, this.tabs, this.status, this.moreButton),
      this.body,
    );
    this.showMessage('Run a statement with Ctrl+Enter (⌘+Enter on macOS). EXPLAIN shows its plan.');
  }

  private ensureGrid(): ItemGrid {
    if (!this.grid)
      this.grid = new ItemGrid(this.gridHost, {
        onOpenItem: this.callbacks.onOpenItem,
        overlay: 'The statement returned no items',
      });
    return this.grid;
  }

  private select(tab: Tab): void {
    this.tab = tab;
    for (const b of this.tabs.querySelectorAll<HTMLElement>('.tab'))
      b.classList.toggle('active', b.dataset.tab === tab);
    if (tab === 'table') clear(this.body, this.gridHost);
    else if (tab === 'plan') clear(this.body, this.planBox);
    else {
      const key = `${tab}:${this.generation}:${this.items.length}`;
      if (this.textOf !== key) {
        this.textOf = key;
        this.text.set(
          tab === 'json' ? itemsToPlainText(this.items) : JSON.stringify(this.items, null, 2),
          tab === 'json' ? 'items.json' : 'items.ddb.json',
        );
      }
      if (this.text.element.parentElement !== this.body) clear(this.body, this.text.element);
    }
  }

  showMessage(text: string): void {
    clear(this.body, h('div.results-message', null, text));
    clear(this.status);
    this.moreButton.hidden = true;
  }

  showRunning(): void {
    clear(this.status, h('span.spinner'), 'Running…');
  }

  showError(message: string): void {
    this.items = [];
    clear(this.body, h('div.error-box', { role: 'alert', 'data-testid': 'results-error' }, message));
    clear(this.status, h('span.error-text', null, 'Failed'));
    this.moreButton.hidden = true;
  }

  /** First page of a new result; `keySchema` is the key of the table read (pinned first). */
  showItems(
    items: Item[],
    info: { elapsedMs: number; capacity?: ConsumedCapacity; more: boolean },
    keySchema: KeySchemaElement[] = [],
  ): void {
    this.items = [...items];
    this.generation++;
    this.totalMs = info.elapsedMs;
    this.capacity = info.capacity?.CapacityUnits ?? 0;
    this.pages = 1;
    this.select(this.tab === 'plan' ? 'table' : this.tab);
    const grid = this.ensureGrid();
    grid.setKeySchema(keySchema);
    grid.setItems(items);
    this.updateStatus(info.more);
    if (this.tab !== 'table') this.select(this.tab);
  }

  /**
   * What a write statement (INSERT, UPDATE, DELETE) did: which item it wrote and the write capacity
   * it consumed, instead of an empty result grid.
   */
  showWrite(
    verb: 'INSERT' | 'UPDATE' | 'DELETE',
    info: { elapsedMs: number; capacity?: ConsumedCapacity; table?: string },
  ): void {
    this.items = [];
    this.generation++;
    const units = info.capacity?.CapacityUnits ?? info.capacity?.WriteCapacityUnits ?? 0;
    const into = info.table ? ` ${verb === 'INSERT' ? 'into' : 'in'} ${info.table}` : '';
    const what =
      verb === 'INSERT'
        ? `Inserted 1 item${into}.`
        : verb === 'UPDATE'
          ? `Updated 1 item${into}.`
          : `Deleted the item${into} (a DELETE of a missing item does nothing).`;
    this.select('table');
    clear(
      this.body,
      h(
        'div.results-message.write-result',
        { 'data-testid': 'write-result' },
        h('strong', null, what),
        ` It consumed ${units} write capacity unit${units === 1 ? '' : 's'} (WCU).`,
      ),
    );
    clear(
      this.status,
      h('strong', { 'data-testid': 'result-count' }, verb === 'DELETE' ? 'Deleted' : '1 item written'),
      h('span.sep', null, '·'),
      formatMs(info.elapsedMs),
      h('span.sep', null, '·'),
      `${units} WCU consumed`,
    );
    this.moreButton.hidden = true;
  }

  /** A further page (Load more). */
  appendItems(items: Item[], info: { elapsedMs: number; capacity?: ConsumedCapacity; more: boolean }): void {
    this.items.push(...items);
    this.totalMs += info.elapsedMs;
    this.capacity += info.capacity?.CapacityUnits ?? 0;
    this.pages++;
    this.ensureGrid().addItems(items);
    this.updateStatus(info.more);
    if (this.tab === 'json' || this.tab === 'dynamo') this.select(this.tab);
  }

  private updateStatus(more: boolean): void {
    clear(
      this.status,
      h(
        'strong',
        { 'data-testid': 'result-count' },
        `${formatCount(this.items.length)} item${this.items.length === 1 ? '' : 's'}`,
      ),
      more ? ' (more available)' : '',
      h('span.sep', null, '·'),
      formatMs(this.totalMs),
      h('span.sep', null, '·'),
      `${this.capacity} RCU/WCU consumed`,
      this.pages > 1 ? h('span.sep', null, '·') : null,
      this.pages > 1 ? `${this.pages} pages` : null,
    );
    this.moreButton.hidden = !more;
  }

  showPlan(plan: ExplainResult, statement: string): void {
    this.plan = plan;
    const p = this.plan;
    clear(
      this.planBox,
      p.FullTableScan
        ? h(
            'div.warning-box',
            { role: 'alert', 'data-testid': 'full-scan-warning' },
            h('strong', null, 'Full table scan. '),
            'This statement reads every item of the table and filters them: its cost grows with the table. Add an equality (or IN) condition on the partition key to make it a Query.',
          )
        : h('div.ok-box', null, 'Uses the key: no full table scan.'),
      h('pre.plan-statement', null, statement),
      h(
        'table.plan-steps',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Step', 'Operation', 'Table / index', 'Key condition', 'Filter / condition', 'Projection'].map(
              (c) => h('th', null, c),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          p.Steps.map((s, i) =>
            h(
              'tr',
              null,
              h('td', null, String(i + 1)),
              h(
                'td',
                null,
                h('span', { class: `op op-${s.Operation}` }, s.Operation),
                s.Partitions && s.Partitions > 1 ? ` ×${s.Partitions}` : '',
              ),
              h('td', null, s.TableName + (s.IndexName ? ` . ${s.IndexName}` : '')),
              h('td.code', null, s.KeyCondition ?? '—'),
              h('td.code', null, s.Filter ?? s.Condition ?? '—'),
              h('td.code', null, s.Projection ? s.Projection.join(', ') : 'all attributes'),
            ),
          ),
        ),
      ),
      p.Note
        ? h('p.hint.plan-note', { 'data-testid': 'plan-note' }, `Capacity estimate unavailable: ${p.Note}.`)
        : null,
      p.Note
        ? null
        : h(
            'dl.plan-estimates',
            null,
            h('dt', null, 'Estimated read capacity'),
            h('dd', null, String(p.EstimatedReadCapacityUnits)),
            h('dt', null, 'Estimated write capacity'),
            h('dd', null, String(p.EstimatedWriteCapacityUnits)),
            p.EstimatedItemsRead !== undefined ? h('dt', null, 'Items read') : null,
            p.EstimatedItemsRead !== undefined ? h('dd', null, formatCount(p.EstimatedItemsRead)) : null,
          ),
      p.Warnings.length
        ? h(
            'ul.plan-warnings',
            null,
            p.Warnings.map((w) => h('li', null, w)),
          )
        : null,
    );
    clear(this.status, p.FullTableScan ? h('span.error-text', null, 'Plan: full table scan') : 'Plan');
    this.moreButton.hidden = true;
    this.select('plan');
  }

  /** A row was saved in the item editor: show the stored version in its place. */
  updateItem(item: Item): void {
    const grid = this.grid;
    if (!grid) return;
    const at = grid.items.findIndex((r) => grid.sameKey(r, item));
    if (at >= 0) this.items[at] = item;
    grid.updateItem(item);
  }

  /** A row was deleted in the item editor. */
  removeItem(item: Item): void {
    const grid = this.grid;
    if (!grid) return;
    const at = this.items.findIndex((r) => grid.sameKey(r, item));
    if (at >= 0) this.items.splice(at, 1);
    grid.removeItem(item);
  }

  get currentItems(): Item[] {
    return this.items;
  }
}
