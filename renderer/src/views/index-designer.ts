// The index designer (#/indexes/<table>): design a GSI or LSI against the attributes a table actually
// has (a sample of up to a few thousand items read with Scan pages), choose its projection, and see
// before creating it how many items it will hold (sparse: only items carrying its key attributes
// with the right type), its size, the write capacity it adds, sample rows as it would store them,
// and which saved queries it would turn from a Scan into a Query (re-planned by the backend on a
// scratch copy of the table that has the index). Creates a GSI with UpdateTable and follows its
// backfill; an LSI can only be created with a table, so it opens the create-table dialog filled in.
// The access-pattern tab shows which index serves a statement (access-patterns.ts).
import type {
  AccessPlan,
  AccessPlanResult,
  AccessTargetPlan,
  Item,
  KeySchemaElement,
  ScalarType,
  StudioBackend,
  TableSummary,
} from '../backend/api.js';
import { errorText } from '../backend/client.js';
import {
  attributeStats,
  candidateStatements,
  designProblems,
  estimateIndex,
  indexInput,
  indexKey,
  suggestIndexName,
} from '../lib/index-estimate.js';
import type {
  AttributeStats,
  CandidateStatement,
  IndexDesign,
  IndexEstimate,
} from '../lib/index-estimate.js';
import { loadHistory, loadSaved, refreshQueries } from '../state.js';
import { clear, confirmDialog, dataTable, formatBytes, formatCount, h, toast } from '../ui/dom.js';
import { AccessPatternsView, costText, planBadge, targetLabel } from './access-patterns.js';
import { ItemGrid } from './grid.js';

/** Items read to learn a table's attributes (the read keeps paging up to this many). */
const SAMPLE_ITEMS = 3000;
const TYPE_LABEL: Record<ScalarType, string> = { S: 'String', N: 'Number', B: 'Binary' };

export interface IndexDesignerCallbacks {
  tables(): TableSummary[];
  refreshTables(): Promise<TableSummary[]>;
  onQuery(statement: string): void;
  /** Opens the create-table dialog (the designer then fills it in). */
  onCreateTable(): void;
}

type Verdict = 'scan-to-query' | 'already-query' | 'no-change' | 'cannot';

interface Impact {
  candidate: CandidateStatement;
  plan: AccessPlan;
  before?: AccessTargetPlan;
  after?: AccessTargetPlan;
  verdict: Verdict;
}

function pct(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (part / whole) * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

function typeChips(s: AttributeStats): HTMLElement[] {
  return Object.entries(s.types)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([t, c]) =>
      h(
        'span.type-chip',
        { title: `${formatCount(c ?? 0)} items carry it as ${t}` },
        `${t} ${formatCount(c ?? 0)}`,
      ),
    );
}

/** Fills the create-table dialog (create-table.ts) the way a user would, through its fields' events. */
function fillCreateTable(values: {
  name: string;
  pk: { name: string; type: ScalarType };
  sk: { name: string; type: ScalarType };
  billing: 'PAY_PER_REQUEST' | 'PROVISIONED';
  lsi: { name: string; sk: { name: string; type: ScalarType }; projection: string; include: string[] };
}): boolean {
  const dialog = document.querySelector<HTMLElement>('[data-testid=create-table]');
  if (!dialog) return false;
  const set = (el: Element | null | undefined, value: string, event: 'input' | 'change'): void => {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) return;
    el.value = value;
    el.dispatchEvent(new Event(event, { bubbles: true }));
  };
  set(dialog.querySelector('[data-testid=table-name]'), values.name, 'input');
  set(dialog.querySelector('[data-testid=pk-name]'), values.pk.name, 'input');
  set(dialog.querySelector('select[aria-label="Partition key type"]'), values.pk.type, 'change');
  set(dialog.querySelector('[data-testid=sk-name]'), values.sk.name, 'input');
  set(dialog.querySelector('select[aria-label="Sort key type"]'), values.sk.type, 'change');
  set(dialog.querySelector('select[aria-label="Billing mode"]'), values.billing, 'change');
  const add = [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === '+ Local index');
  if (!add) return false;
  add.click();
  const i = dialog.querySelectorAll('fieldset.index-form').length - 1;
  const fieldset = (): Element | undefined => dialog.querySelectorAll('fieldset.index-form')[i];
  set(dialog.querySelector(`[data-testid=index-name-${i}]`), values.lsi.name, 'input');
  set(dialog.querySelector(`[data-testid=index-sk-${i}]`), values.lsi.sk.name, 'input');
  set(fieldset()?.querySelector('select[aria-label="Index sort key type"]'), values.lsi.sk.type, 'change');
  // Changing the projection re-renders the index forms (from the values set above).
  set(fieldset()?.querySelector('select[aria-label="Projection"]'), values.lsi.projection, 'change');
  if (values.lsi.projection === 'INCLUDE')
    set(
      fieldset()?.querySelector('input[aria-label="Projected attributes"]'),
      values.lsi.include.join(', '),
      'input',
    );
  return true;
}

export class IndexDesignerView {
  readonly element: HTMLElement;
  private readonly tableSelect: HTMLSelectElement;
  private readonly tableFacts = h('div.designer-facts');
  private readonly tabs = h('div.tabs', { role: 'tablist' });
  private readonly indexesBox = h('section.index-overview', {
    'data-testid': 'indexes-list',
    'aria-label': 'Indexes',
  });
  private readonly body = h('div.designer-body');
  private readonly designPane: HTMLElement;
  private readonly formBox = h('div.designer-form');
  private readonly attributesBox = h('div.designer-attributes', { 'data-testid': 'designer-attributes' });
  private readonly sampleLine = h('span.hint', { 'data-testid': 'designer-sample' });
  private readonly previewBox = h('div.preview-cards');
  private readonly explainBox = h('div.preview-explain', { 'data-testid': 'preview-explain' });
  private readonly rowsHost = h('div.grid-host.preview-grid', { 'data-testid': 'preview-rows' });
  private readonly rowsNote = h('span.hint');
  private readonly impactBox = h('div.impact', { 'data-testid': 'saved-impact' });
  private readonly backfillBox = h('div.backfill', { 'data-testid': 'backfill-status', hidden: true });
  private readonly problemEl = h('div.form-error', { role: 'alert', 'data-testid': 'designer-problem' });
  private readonly createButton = h('span');
  private readonly patterns: AccessPatternsView;
  private grid: ItemGrid | undefined;
  private tab: 'design' | 'patterns' = 'design';
  private table: TableSummary | undefined;
  private throughput: { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined;
  private items: Item[] = [];
  private complete = false;
  private stats: AttributeStats[] = [];
  private design: IndexDesign = this.emptyDesign();
  private nameTouched = false;
  private otherPk = false;
  private otherSk = false;
  private rcu = '';
  private wcu = '';
  private estimate: IndexEstimate | undefined;
  private loadGeneration = 0;
  private impactGeneration = 0;
  private impactTimer: ReturnType<typeof setTimeout> | undefined;
  private watching: string | undefined;

  constructor(
    private readonly backend: StudioBackend,
    private readonly callbacks: IndexDesignerCallbacks,
  ) {
    this.tableSelect = h('select', {
      'aria-label': 'Table',
      'data-testid': 'designer-table',
      onchange: () => (location.hash = `#/indexes/${encodeURIComponent(this.tableSelect.value)}`),
    });
    for (const [id, label] of [
      ['design', 'Design an index'],
      ['patterns', 'Access patterns'],
    ] as const) {
      this.tabs.append(
        h(
          'button.tab',
          {
            role: 'tab',
            dataset: { tab: id },
            'data-testid': `designer-tab-${id}`,
            onclick: () => this.showTab(id),
          },
          label,
        ),
      );
    }
    this.patterns = new AccessPatternsView(backend, { onQuery: (s) => callbacks.onQuery(s) });
    this.designPane = h(
      'div.designer-grid',
      null,
      h(
        'div.designer-left',
        null,
        this.formBox,
        h(
          'section.designer-section',
          null,
          h('header.section-head', null, h('h2', null, 'Attributes in the table'), this.sampleLine),
          this.attributesBox,
        ),
      ),
      h(
        'div.designer-right',
        null,
        h(
          'section.designer-section',
          null,
          h('header.section-head', null, h('h2', null, 'Preview')),
          this.previewBox,
          this.explainBox,
        ),
        h(
          'section.designer-section',
          null,
          h(
            'header.section-head',
            null,
            h('h2', null, 'Sample rows as the index stores them'),
            this.rowsNote,
          ),
          this.rowsHost,
        ),
        h(
          'section.designer-section',
          null,
          h(
            'header.section-head',
            null,
            h('h2', null, 'Your saved queries with this index'),
            h('span.hint', null, 'saved queries and history, re-planned as if the index existed'),
          ),
          this.impactBox,
        ),
      ),
    );
    this.element = h(
      'div.designer-page',
      { 'data-testid': 'designer-page' },
      h(
        'header.designer-header',
        null,
        h('h1', null, 'Index designer'),
        this.tableSelect,
        this.tableFacts,
        h('span.spacer'),
        this.tabs,
      ),
      this.indexesBox,
      this.backfillBox,
      this.body,
    );
    this.showTab('design');
  }

  private emptyDesign(): IndexDesign {
    return { kind: 'GSI', name: '', partitionKey: { name: '', type: 'S' }, projection: 'ALL', include: [] };
  }

  /** Shows the designer for a table (the first one when none is named). */
  show(tableName: string | undefined): void {
    const tables = this.callbacks.tables();
    const name = tableName ?? this.table?.name ?? tables[0]?.name;
    clear(
      this.tableSelect,
      tables.length === 0 ? h('option', { value: '' }, 'no tables') : null,
      tables.map((t) => h('option', { value: t.name, selected: t.name === name }, t.name)),
    );
    const summary = tables.find((t) => t.name === name);
    if (!summary) {
      this.table = undefined;
      clear(this.tableFacts);
      clear(this.indexesBox);
      clear(
        this.body,
        h(
          'div.placeholder',
          null,
          h('h2', null, name ? `No table “${name}”` : 'No tables yet'),
          h(
            'p',
            null,
            'Create a table with “+ New” in the sidebar (with its indexes, LSIs included), then design more here against its data.',
          ),
        ),
      );
      return;
    }
    if (this.tab === 'design') clear(this.body, this.designPane);
    else clear(this.body, this.patterns.element);
    const changed = this.table?.name !== summary.name;
    this.table = summary;
    this.renderFacts();
    this.renderIndexes();
    this.patterns.setTable(summary);
    if (changed) {
      this.design = this.emptyDesign();
      this.nameTouched = false;
      this.otherPk = false;
      this.otherSk = false;
      this.backfillBox.hidden = true;
      void this.loadSample();
    }
  }

  shown(): void {
    this.grid?.api.sizeColumnsToFit?.();
  }

  hide(): void {
    clearTimeout(this.impactTimer);
  }

  private showTab(tab: 'design' | 'patterns'): void {
    this.tab = tab;
    for (const b of this.tabs.querySelectorAll<HTMLElement>('.tab'))
      b.classList.toggle('active', b.dataset.tab === tab);
    if (!this.table) return;
    clear(this.body, tab === 'design' ? this.designPane : this.patterns.element);
  }

  private tableKey(): string[] {
    return this.table?.keySchema.map((k) => k.AttributeName) ?? [];
  }

  private tableHash(): string {
    return this.table?.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  }

  private tableRange(): string | undefined {
    return this.table?.keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  }

  private definedType(name: string): ScalarType | undefined {
    return this.table?.attributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType;
  }

  private renderFacts(): void {
    const t = this.table!;
    clear(
      this.tableFacts,
      t.keySchema.map((k) =>
        h(
          'span.key-chip',
          null,
          h('span.key-role', null, k.KeyType === 'HASH' ? 'PK' : 'SK'),
          k.AttributeName,
          h('span.key-type', null, this.definedType(k.AttributeName) ?? '?'),
        ),
      ),
      h(
        'span.table-facts',
        null,
        `${formatCount(t.itemCount)} items · ${formatBytes(t.sizeBytes)} · ${t.billingMode === 'PAY_PER_REQUEST' ? 'on-demand' : 'provisioned'}`,
      ),
    );
  }

  private renderIndexes(): void {
    const t = this.table!;
    clear(
      this.indexesBox,
      h(
        'header.section-head',
        null,
        h('h2', null, `Indexes of ${t.name}`),
        h(
          'span.hint',
          null,
          `${t.indexes.filter((i) => i.kind === 'GSI').length} of 20 global · ${t.indexes.filter((i) => i.kind === 'LSI').length} of 5 local`,
        ),
      ),
      t.indexes.length === 0
        ? h('p.hint', null, 'No secondary indexes: every read that is not on the table’s key is a Scan.')
        : dataTable(
            ['Index', 'Kind', 'Partition key', 'Sort key', 'Projection', 'Status', 'Items', 'Size', ''],
            t.indexes.map((i) =>
              h(
                'tr',
                { dataset: { index: i.name } },
                h('td', null, h('strong', null, i.name)),
                h('td', null, i.kind),
                h('td.code', null, i.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? ''),
                h('td.code', null, i.keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName ?? '—'),
                h(
                  'td',
                  null,
                  i.projectionType,
                  i.nonKeyAttributes?.length
                    ? h('span.hint', null, ` (${i.nonKeyAttributes.join(', ')})`)
                    : null,
                ),
                h(
                  'td',
                  { 'data-testid': `index-status-${i.name}` },
                  i.status ?? 'ACTIVE',
                  i.backfilling ? ' · backfilling' : '',
                ),
                h('td.num', null, i.itemCount !== undefined ? formatCount(i.itemCount) : '—'),
                h('td.num', null, i.sizeBytes !== undefined ? formatBytes(i.sizeBytes) : '—'),
                h(
                  'td',
                  null,
                  i.kind === 'GSI'
                    ? h(
                        'button.small.danger-outline',
                        {
                          'data-testid': `delete-index-${i.name}`,
                          onclick: () => void this.deleteIndex(i.name),
                        },
                        'Delete',
                      )
                    : h('span.hint', { title: 'A local index lives as long as its table' }, 'with the table'),
                ),
              ),
            ),
          ),
    );
  }

  // ── Sample ─────────────────────────────────────────────────────────────────────────────────────

  private async loadSample(): Promise<void> {
    const t = this.table;
    if (!t) return;
    const generation = ++this.loadGeneration;
    this.items = [];
    this.stats = [];
    this.complete = false;
    clear(this.sampleLine, 'Reading a sample…');
    this.render();
    try {
      const [read, raw] = await Promise.all([
        this.backend.read({
          operation: 'Scan',
          input: { TableName: t.name },
          want: SAMPLE_ITEMS,
          budgetMs: 5000,
        }),
        this.backend.describeTable({ table: t.name }),
      ]);
      if (generation !== this.loadGeneration) return;
      this.items = read.items;
      this.complete = !read.lastEvaluatedKey;
      this.stats = attributeStats(this.items);
      const tp = raw.ProvisionedThroughput as
        { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined;
      this.throughput =
        t.billingMode === 'PROVISIONED' && tp
          ? { ReadCapacityUnits: tp.ReadCapacityUnits ?? 5, WriteCapacityUnits: tp.WriteCapacityUnits ?? 5 }
          : undefined;
      this.rcu = String(this.throughput?.ReadCapacityUnits ?? 5);
      this.wcu = String(this.throughput?.WriteCapacityUnits ?? 5);
      clear(
        this.sampleLine,
        this.complete
          ? `the whole table: ${formatCount(this.items.length)} items (counts are exact)`
          : `a sample of ${formatCount(this.items.length)} of ${formatCount(t.itemCount)} items (counts are scaled)`,
        ' ',
        h('button.link', { onclick: () => void this.loadSample() }, 'Read again'),
      );
      this.render();
    } catch (e) {
      if (generation === this.loadGeneration)
        clear(this.sampleLine, h('span.error-text', null, errorText(e)));
    }
  }

  // ── Form ───────────────────────────────────────────────────────────────────────────────────────

  private changed(): void {
    if (!this.nameTouched) this.design.name = suggestIndexName(this.design);
    this.render();
  }

  private setKind(kind: 'GSI' | 'LSI'): void {
    this.design.kind = kind;
    if (kind === 'LSI') {
      const hash = this.tableHash();
      this.design.partitionKey = { name: hash, type: this.definedType(hash) ?? 'S' };
      if (this.design.sortKey?.name === this.tableRange()) delete this.design.sortKey;
    }
    this.changed();
  }

  private pickKey(role: 'pk' | 'sk', name: string): void {
    if (role === 'pk' && this.design.kind === 'LSI') return;
    if (name === '') {
      if (role === 'pk') this.design.partitionKey = { name: '', type: 'S' };
      else delete this.design.sortKey;
      this.changed();
      return;
    }
    const stat = this.stats.find((s) => s.name === name);
    const type = this.definedType(name) ?? stat?.keyType ?? 'S';
    if (role === 'pk') this.design.partitionKey = { name, type };
    else this.design.sortKey = { name, type };
    this.design.include = this.design.include.filter((a) => a !== name);
    this.changed();
  }

  private keyPicker(role: 'pk' | 'sk'): HTMLElement {
    const key = role === 'pk' ? this.design.partitionKey : this.design.sortKey;
    const lsiPk = role === 'pk' && this.design.kind === 'LSI';
    const other = role === 'pk' ? this.otherPk : this.otherSk;
    const total = this.items.length;
    const candidates = this.stats.filter((s) => s.keyType);
    const known = new Set(candidates.map((s) => s.name));
    const current = key?.name ?? '';
    const select = h(
      'select',
      {
        'aria-label': role === 'pk' ? 'Partition key' : 'Sort key',
        'data-testid': `designer-${role}`,
        disabled: lsiPk,
        onchange: () => {
          if (select.value === '\u0000other') {
            if (role === 'pk') this.otherPk = true;
            else this.otherSk = true;
            this.render();
            return;
          }
          if (role === 'pk') this.otherPk = false;
          else this.otherSk = false;
          this.pickKey(role, select.value);
        },
      },
      h(
        'option',
        { value: '', selected: current === '' && !other },
        role === 'pk' ? '— choose an attribute —' : '(none)',
      ),
      candidates.map((s) =>
        h(
          'option',
          { value: s.name, selected: s.name === current && !other },
          `${s.name} (${s.keyType} · ${formatCount(s.types[s.keyType!] ?? 0)} of ${formatCount(total)})`,
        ),
      ),
      current && !known.has(current) && !other
        ? h('option', { value: current, selected: true }, `${current} (not in the sample)`)
        : null,
      h('option', { value: '\u0000other', selected: other }, 'Another attribute…'),
    );
    const defined = current ? this.definedType(current) : undefined;
    const typeSelect = h(
      'select',
      {
        'aria-label': role === 'pk' ? 'Partition key type' : 'Sort key type',
        'data-testid': `designer-${role}-type`,
        disabled: lsiPk || defined !== undefined || !current,
        title: defined
          ? `${current} is already a key attribute of type ${defined}`
          : 'The type the key attribute must have',
        onchange: () => {
          if (key) key.type = typeSelect.value as ScalarType;
          this.changed();
        },
      },
      (['S', 'N', 'B'] as const).map((t) =>
        h('option', { value: t, selected: key?.type === t }, TYPE_LABEL[t]),
      ),
    );
    const otherInput = other
      ? h('input', {
          type: 'text',
          value: current,
          placeholder: 'attribute name',
          'aria-label': role === 'pk' ? 'Partition key name' : 'Sort key name',
          'data-testid': `designer-${role}-name`,
          onchange: (e: Event) => this.pickKey(role, (e.target as HTMLInputElement).value.trim()),
        })
      : null;
    select.classList.add('key-select');
    return h(
      'div.form-row.key-row',
      null,
      h('span.builder-label', null, role === 'pk' ? 'Partition key' : 'Sort key'),
      select,
      otherInput,
      typeSelect,
    );
  }

  private renderForm(): void {
    const d = this.design;
    const keyNames = new Set([...this.tableKey(), ...indexKey(d).map((k) => k.name)]);
    const nonKey = this.stats.filter((s) => !keyNames.has(s.name));
    const hasSort = !!this.tableRange();
    clear(
      this.formBox,
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'Kind'),
        h(
          'div.segmented',
          { role: 'group', 'aria-label': 'Index kind' },
          (['GSI', 'LSI'] as const).map((k) =>
            h(
              'button.segment',
              {
                class: d.kind === k ? 'segment active' : 'segment',
                'data-testid': `designer-kind-${k}`,
                title:
                  k === 'GSI'
                    ? 'Global: any partition key, added to an existing table'
                    : 'Local: the table’s partition key, another sort key; only at table creation',
                onclick: () => this.setKind(k),
              },
              k === 'GSI' ? 'Global (GSI)' : 'Local (LSI)',
            ),
          ),
        ),
      ),
      d.kind === 'LSI'
        ? h(
            'p.hint',
            null,
            hasSort
              ? 'A local index shares the table’s partition key and can only be created with the table: the designer previews it on this table’s data, then opens “Create table” with it filled in.'
              : 'This table has no sort key: local indexes need one. The new table will be created with this table’s key and a sort key you choose there.',
          )
        : null,
      this.keyPicker('pk'),
      this.keyPicker('sk'),
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'Projection'),
        h(
          'div.segmented',
          { role: 'group', 'aria-label': 'Projection' },
          (['ALL', 'KEYS_ONLY', 'INCLUDE'] as const).map((p) =>
            h(
              'button.segment',
              {
                class: d.projection === p ? 'segment active' : 'segment',
                'data-testid': `designer-projection-${p}`,
                onclick: () => {
                  d.projection = p;
                  this.changed();
                },
              },
              p,
            ),
          ),
        ),
      ),
      d.projection === 'INCLUDE'
        ? h(
            'div.include-picker',
            { 'data-testid': 'include-picker' },
            nonKey.length === 0 ? h('p.hint', null, 'No other attributes in the sample.') : null,
            nonKey.map((s) =>
              h(
                'label.include-option',
                null,
                h('input', {
                  type: 'checkbox',
                  checked: d.include.includes(s.name),
                  'data-testid': `include-${s.name}`,
                  onchange: (e: Event) => {
                    const on = (e.target as HTMLInputElement).checked;
                    d.include = on ? [...d.include, s.name] : d.include.filter((a) => a !== s.name);
                    this.changed();
                  },
                }),
                h('span.code', null, s.name),
                h('span.hint', null, ` ${pct(s.count, this.items.length)}`),
              ),
            ),
          )
        : null,
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'Name'),
        h('input', {
          type: 'text',
          value: d.name,
          'aria-label': 'Index name',
          'data-testid': 'designer-name',
          placeholder: 'status-index',
          oninput: (e: Event) => {
            d.name = (e.target as HTMLInputElement).value.trim();
            this.nameTouched = d.name !== '';
            this.updateFormStatus();
            this.scheduleImpact();
          },
        }),
      ),
      d.kind === 'GSI' && this.throughput
        ? h(
            'div.form-row',
            null,
            h('span.builder-label', null, 'Capacity'),
            h('input.capacity', {
              type: 'number',
              min: '1',
              value: this.rcu,
              'aria-label': 'Index read capacity units',
              oninput: (e: Event) => (this.rcu = (e.target as HTMLInputElement).value),
            }),
            h('span.hint', null, 'RCU'),
            h('input.capacity', {
              type: 'number',
              min: '1',
              value: this.wcu,
              'aria-label': 'Index write capacity units',
              oninput: (e: Event) => (this.wcu = (e.target as HTMLInputElement).value),
            }),
            h('span.hint', null, 'WCU'),
          )
        : null,
      d.kind === 'GSI' && this.throughput
        ? h(
            'p.hint',
            null,
            'A GSI has its own capacity: when its writes run short, writes to the table are throttled.',
          )
        : null,
      this.problemEl,
      h(
        'div.form-row',
        null,
        d.kind === 'GSI'
          ? h(
              'button.primary',
              { 'data-testid': 'designer-create', onclick: () => void this.createGsi() },
              this.createButton,
            )
          : h(
              'button.primary',
              { 'data-testid': 'designer-create-table', onclick: () => this.createLsiTable() },
              'Create a new table with this LSI…',
            ),
      ),
    );
    this.updateFormStatus();
  }

  /** The problem line and the create button, from the design (cheap: runs on every keystroke). */
  private updateFormStatus(): void {
    const d = this.design;
    const t = this.table;
    if (!t) return;
    const problems = designProblems(d, {
      keySchema: t.keySchema,
      attributeDefinitions: t.attributeDefinitions,
      indexNames: t.indexes.map((i) => i.name),
      gsiCount: t.indexes.filter((i) => i.kind === 'GSI').length,
    });
    // A new table is created for an LSI: this table's sort key and index names do not matter.
    const blocking =
      d.kind === 'LSI'
        ? problems.filter((p) => !/needs a table with a sort key|already has an index/.test(p))
        : problems;
    this.problemEl.textContent = d.partitionKey.name ? (blocking[0] ?? '') : '';
    const button = this.createButton.parentElement as HTMLButtonElement | null;
    this.createButton.textContent = `Create ${d.name || 'index'}`;
    if (button) button.disabled = blocking.length > 0 || this.watching !== undefined;
    const lsiButton = this.formBox.querySelector<HTMLButtonElement>('[data-testid=designer-create-table]');
    if (lsiButton) lsiButton.disabled = blocking.length > 0;
  }

  private renderAttributes(): void {
    const total = this.items.length;
    const keys = this.tableKey();
    clear(
      this.attributesBox,
      total === 0
        ? h(
            'p.hint',
            null,
            this.complete ? 'The table is empty: name the key attributes with “Another attribute…”.' : '',
          )
        : dataTable(
            ['Attribute', 'Items', 'Types', ''],
            this.stats.map((s) =>
              h(
                'tr',
                { dataset: { attribute: s.name } },
                h('td.code', null, s.name, keys.includes(s.name) ? h('span.tag', null, 'table key') : null),
                h(
                  'td.num',
                  { title: `${formatCount(s.count)} of ${formatCount(total)}` },
                  formatCount(s.count),
                  h('span.hint', null, ` ${pct(s.count, total)}`),
                ),
                h('td', null, typeChips(s)),
                h(
                  'td.actions',
                  null,
                  s.keyType && this.design.kind === 'GSI'
                    ? h(
                        'button.small',
                        {
                          title: 'Use as the index partition key',
                          onclick: () => this.pickKey('pk', s.name),
                        },
                        'PK',
                      )
                    : null,
                  s.keyType
                    ? h(
                        'button.small',
                        { title: 'Use as the index sort key', onclick: () => this.pickKey('sk', s.name) },
                        'SK',
                      )
                    : null,
                ),
              ),
            ),
          ),
    );
  }

  private card(label: string, value: string, sub: (string | Node)[], testId: string): HTMLElement {
    return h(
      'div.preview-card',
      { 'data-testid': testId },
      h('div.card-label', null, label),
      h('div.card-value', null, value),
      h('div.card-sub', null, sub),
    );
  }

  private renderPreview(): void {
    const d = this.design;
    const t = this.table!;
    if (!d.partitionKey.name) {
      this.estimate = undefined;
      clear(
        this.previewBox,
        h('p.hint', null, 'Choose the index’s partition key to see what it would hold.'),
      );
      clear(this.explainBox);
      this.grid?.setItems([]);
      clear(this.rowsNote);
      return;
    }
    const e = estimateIndex(this.items, { keySchema: t.keySchema, itemCount: t.itemCount }, d, {
      complete: this.complete,
      rows: 200,
    });
    this.estimate = e;
    const keyNames = indexKey(d).map((k) => `${k.name} (${k.type})`);
    const approx = e.exact ? '' : '≈ ';
    clear(
      this.previewBox,
      this.card(
        'Items in the index',
        `${approx}${formatCount(e.items)}`,
        [
          `of ${formatCount(e.tableItems)} (${pct(e.inIndex, e.sampled)})`,
          e.exact ? ' · exact' : ` · from ${formatCount(e.sampled)} sampled`,
          h('br'),
          `${formatCount(e.missingKey)} lack ${indexKey(d)
            .map((k) => k.name)
            .join(' or ')}`,
          e.wrongType ? ` · ${formatCount(e.wrongType)} of another type` : '',
        ],
        'preview-count',
      ),
      this.card(
        'Index size',
        `${approx}${formatBytes(e.sizeBytes)}`,
        [
          `sum of projected items · average ${formatBytes(Math.round(e.averageItemBytes))}, largest ${formatBytes(e.maxItemBytes)}`,
        ],
        'preview-size',
      ),
      this.card(
        'Extra write capacity',
        e.inIndex ? `+${e.unitsPerWrite} WCU` : '+0 WCU',
        [`per table write that touches the index · ${e.unitsPerKeyChange} WCU when its key changes`],
        'preview-wcu',
      ),
      d.kind === 'GSI'
        ? this.card(
            'Backfill',
            `${approx}${formatCount(e.backfillUnits)} WCU`,
            [`writing the ${formatCount(e.items)} entries once, when the index is created`],
            'preview-backfill',
          )
        : null,
    );
    this.previewBox.dataset.items = String(e.items);
    this.previewBox.dataset.bytes = String(e.sizeBytes);
    const projectedNote =
      d.projection === 'ALL'
        ? 'With ALL, every attribute is projected: any change to an indexed item rewrites its entry.'
        : `With ${d.projection}, writes that change only attributes the index does not project cost it nothing.`;
    const otherType = e.wrongType
      ? indexKey(d)
          .map((k) => {
            const s = this.stats.find((x) => x.name === k.name);
            const others = Object.entries(s?.types ?? {}).filter(([ty]) => ty !== k.type);
            return others.length
              ? `${k.name} as ${others.map(([ty, c]) => `${ty} (${formatCount(c ?? 0)})`).join(', ')}`
              : '';
          })
          .filter(Boolean)
          .join('; ')
      : '';
    clear(
      this.explainBox,
      e.wrongType
        ? h(
            'div.warning-box',
            { 'data-testid': 'preview-wrong-type' },
            `${formatCount(e.wrongType)} sampled items carry a key attribute with another type (${otherType}). Backfill leaves them out of the index, and from then on writing an item like them fails with a ValidationException (type mismatch for the index key).`,
          )
        : null,
      h(
        'p',
        null,
        h('strong', null, 'Write cost. '),
        `Every table write that adds, changes or removes a projected attribute of an item in the index also writes the index: one index write of ceil(projected size / 1 KB) WCU — here ${e.unitsPerWrite || 1} WCU for an average entry (${formatBytes(Math.round(e.averageItemBytes))}), ${e.maxUnitsPerWrite || 1} for the largest. A write that changes ${keyNames.join(' or ')} writes it twice (the old entry is deleted, the new one put): ${e.unitsPerKeyChange || 2} WCU. Writes to items without the index key (${pct(e.missingKey + e.wrongType, e.sampled)} of the sample) cost the index nothing — that is what a sparse index saves. ${projectedNote} Averaged over the sampled items, a put adds ≈ ${e.unitsPerPut.toFixed(2)} WCU.`,
      ),
    );
    if (!this.grid) this.grid = new ItemGrid(this.rowsHost, { overlay: 'No item would be in this index' });
    const schema: KeySchemaElement[] = indexKey(d).map((k, i) => ({
      AttributeName: k.name,
      KeyType: i === 0 ? 'HASH' : 'RANGE',
    }));
    this.grid.setKeySchema(schema);
    this.grid.setItems(e.rows, [...new Set([...schema.map((k) => k.AttributeName), ...this.tableKey()])]);
    clear(
      this.rowsNote,
      `${formatCount(e.rows.length)} of ${formatCount(e.inIndex)} sampled entries, in index key order`,
    );
  }

  /** Re-renders everything from the design; `replan` also re-plans the saved queries (debounced). */
  private render(replan = true): void {
    if (!this.table) return;
    this.renderForm();
    this.renderAttributes();
    this.renderPreview();
    if (replan) this.scheduleImpact();
  }

  // ── Saved queries ──────────────────────────────────────────────────────────────────────────────

  private scheduleImpact(): void {
    clearTimeout(this.impactTimer);
    const generation = ++this.impactGeneration;
    const d = this.design;
    const t = this.table;
    if (!t || !d.partitionKey.name || (this.items.length === 0 && !this.complete)) {
      clear(this.impactBox, h('p.hint', null, 'Choose a partition key to re-plan your saved queries.'));
      return;
    }
    const problems = designProblems(d, {
      keySchema: t.keySchema,
      attributeDefinitions: t.attributeDefinitions,
      indexNames: t.indexes.map((i) => i.name),
      gsiCount: 0,
    }).filter((p) => !/name/.test(p) && !/needs a table with a sort key/.test(p));
    if (problems.length) {
      clear(this.impactBox, h('p.hint', null, `Fix the design to re-plan: ${problems[0]}`));
      return;
    }
    clear(this.impactBox, h('p.hint', null, 'Re-planning…'));
    this.impactTimer = setTimeout(() => void this.runImpact(generation), 300);
  }

  private async runImpact(generation: number): Promise<void> {
    const t = this.table!;
    const d = { ...this.design, name: this.design.name || suggestIndexName(this.design) || 'proposed-index' };
    await refreshQueries();
    const candidates = candidateStatements(loadSaved(), loadHistory());
    if (candidates.length === 0) {
      clear(
        this.impactBox,
        h(
          'p.hint',
          null,
          'No saved queries or history yet: save queries in the PartiQL page and they are re-planned here.',
        ),
      );
      return;
    }
    let result: AccessPlanResult;
    try {
      const { index, attributeDefinitions } = indexInput(d, this.tableKey());
      result = await this.backend.planAccess({
        statements: candidates.map((c) => c.statement),
        table: t.name,
        proposed: { kind: d.kind, index, attributeDefinitions },
      });
    } catch (e) {
      if (generation === this.impactGeneration) clear(this.impactBox, h('div.error-box', null, errorText(e)));
      return;
    }
    if (generation !== this.impactGeneration) return;
    const impacts: Impact[] = [];
    for (const plan of result.plans) {
      const candidate = candidates.find((c) => c.statement === plan.statement);
      if (!candidate) continue;
      const before = plan.current;
      const after = plan.targets.find((x) => x.proposed);
      let verdict: Verdict;
      if (!after?.explain) verdict = 'cannot';
      else if (before?.explain && !before.explain.FullTableScan) verdict = 'already-query';
      else if (!after.explain.FullTableScan) verdict = 'scan-to-query';
      else verdict = 'no-change';
      impacts.push({ candidate, plan, ...(before ? { before } : {}), ...(after ? { after } : {}), verdict });
    }
    const order: Record<Verdict, number> = {
      'scan-to-query': 0,
      'already-query': 1,
      cannot: 2,
      'no-change': 3,
    };
    impacts.sort((a, b) => order[a.verdict] - order[b.verdict]);
    const gains = impacts.filter((i) => i.verdict === 'scan-to-query').length;
    clear(
      this.impactBox,
      impacts.length === 0
        ? h('p.hint', null, `None of your ${candidates.length} saved or recent SELECTs reads ${t.name}.`)
        : h(
            'div',
            null,
            h(
              'p',
              { class: gains ? 'ok-text' : 'hint', 'data-testid': 'impact-summary' },
              gains
                ? `${d.name} turns ${gains} of your ${impacts.length} queries on ${t.name} from a Scan into a Query.`
                : `${d.name} turns none of your ${impacts.length} queries on ${t.name} from a Scan into a Query.`,
              result.sample && !result.sample.complete
                ? h(
                    'span.hint',
                    null,
                    ` Costs scaled from ${formatCount(result.sample.copied)} sampled items.`,
                  )
                : null,
            ),
            h(
              'table.data-table.impact-table',
              null,
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['Query', 'Now', 'With the index', ''].map((c) => h('th', null, c)),
                ),
              ),
              h(
                'tbody',
                null,
                impacts.map((i) =>
                  h(
                    'tr.impact-row',
                    { dataset: { verdict: i.verdict }, 'data-testid': 'impact-row' },
                    h(
                      'td',
                      null,
                      h('div.code', null, i.candidate.statement),
                      h(
                        'div.hint',
                        null,
                        i.candidate.source === 'saved'
                          ? `saved as “${i.candidate.name ?? ''}”`
                          : 'from history',
                      ),
                    ),
                    h(
                      'td',
                      null,
                      planBadge(i.before),
                      h('div.hint', null, i.before ? costText(i.before) || (i.before.error ?? '') : ''),
                    ),
                    h(
                      'td',
                      null,
                      planBadge(i.after),
                      i.after
                        ? h(
                            'div.hint',
                            null,
                            i.after.explain
                              ? `${targetLabel(i.after)} · ${costText(i.after)}`
                              : (i.after.error ?? ''),
                          )
                        : null,
                      ...(i.after?.notes ?? []).map((n) => h('div.hint.note', null, n)),
                    ),
                    h(
                      'td',
                      null,
                      i.verdict === 'scan-to-query'
                        ? h('span.verdict.good', null, 'Scan → Query')
                        : i.verdict === 'already-query'
                          ? h('span.verdict', null, 'already uses a key')
                          : i.verdict === 'cannot'
                            ? h('span.verdict.bad', null, 'cannot use it')
                            : h('span.verdict', null, 'still a Scan'),
                    ),
                  ),
                ),
              ),
            ),
          ),
    );
  }

  // ── Create and delete ──────────────────────────────────────────────────────────────────────────

  private async createGsi(): Promise<void> {
    const t = this.table!;
    const d = this.design;
    const { index, attributeDefinitions } = indexInput(d, this.tableKey());
    if (this.throughput) {
      index.ProvisionedThroughput = {
        ReadCapacityUnits: Math.max(1, Number(this.rcu) || 1),
        WriteCapacityUnits: Math.max(1, Number(this.wcu) || 1),
      };
    }
    const expected = this.estimate?.items ?? 0;
    try {
      await this.backend.createIndex({ table: t.name, index, attributeDefinitions });
    } catch (e) {
      toast(errorText(e), 'error');
      return;
    }
    toast(`Creating ${d.name} on ${t.name}`, 'ok');
    void this.watchBackfill(t.name, d.name, expected);
  }

  /** Follows a new GSI through DescribeTable until it is ACTIVE and filled. */
  private async watchBackfill(table: string, index: string, expected: number): Promise<void> {
    this.watching = index;
    this.backfillBox.hidden = false;
    const progress = h('progress', { max: Math.max(1, expected), value: 0 });
    const text = h('span');
    clear(this.backfillBox, h('strong', null, `Creating ${index}`), progress, text);
    const started = Date.now();
    try {
      for (;;) {
        let raw: Record<string, unknown>;
        try {
          raw = await this.backend.describeTable({ table });
        } catch (e) {
          clear(this.backfillBox, h('span.error-text', null, errorText(e)));
          return;
        }
        const gsi = ((raw.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined) ?? []).find(
          (g) => g.IndexName === index,
        );
        if (!gsi) {
          clear(this.backfillBox, h('span.error-text', null, `${index} is gone (deleted?)`));
          return;
        }
        const status = String(gsi.IndexStatus ?? 'ACTIVE');
        const backfilling = gsi.Backfilling === true;
        const count = typeof gsi.ItemCount === 'number' ? gsi.ItemCount : 0;
        const done = status === 'ACTIVE' && !backfilling;
        progress.value = done ? progress.max : Math.min(count, progress.max);
        this.backfillBox.dataset.status = status;
        clear(
          text,
          ` ${status}${backfilling ? ' · backfilling' : ''} · ${formatCount(count)} of ${formatCount(expected)} items`,
        );
        if (done) {
          this.backfillBox.dataset.status = 'ACTIVE';
          clear(
            this.backfillBox,
            h('span.ok-text', null, `✓ ${index} is ACTIVE with ${formatCount(count)} items. `),
            h(
              'button.small',
              {
                onclick: () => {
                  this.showTab('patterns');
                },
              },
              'Check access patterns',
            ),
          );
          toast(`${index} is ready`, 'ok');
          await this.refresh();
          return;
        }
        if (Date.now() - started > 30 * 60_000 || !this.element.isConnected) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      this.watching = undefined;
      if (this.table?.name === table) this.renderForm();
    }
  }

  private async refresh(): Promise<void> {
    const tables = await this.callbacks.refreshTables();
    const t = tables.find((x) => x.name === this.table?.name);
    if (!t) return;
    this.table = t;
    this.renderFacts();
    this.renderIndexes();
    this.patterns.setTable(t);
    this.render();
  }

  private async deleteIndex(name: string): Promise<void> {
    const t = this.table!;
    const ok = await confirmDialog({
      title: 'Delete index',
      message: h(
        'span',
        null,
        'This deletes the global secondary index ',
        h('strong', null, name),
        ' of ',
        h('strong', null, t.name),
        '. Statements that read "',
        `${t.name}"."${name}`,
        '" will fail; the table’s items are not touched.',
      ),
      confirm: `Delete ${name}`,
      danger: true,
      typeToConfirm: name,
    });
    if (!ok) return;
    try {
      await this.backend.deleteIndex({ table: t.name, index: name });
      toast(`Deleted index ${name}`, 'ok');
      await this.refresh();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  private createLsiTable(): void {
    const t = this.table!;
    const d = this.design;
    const hash = this.tableHash();
    const range = this.tableRange();
    const sk = d.sortKey ?? { name: '', type: 'S' as ScalarType };
    this.callbacks.onCreateTable();
    const filled = fillCreateTable({
      name: `${t.name}-v2`.slice(0, 255),
      pk: { name: hash, type: this.definedType(hash) ?? 'S' },
      sk: { name: range ?? '', type: (range && this.definedType(range)) || 'S' },
      billing: t.billingMode,
      lsi: { name: d.name || suggestIndexName(d), sk, projection: d.projection, include: d.include },
    });
    if (!filled) toast('Open “+ New” in the sidebar and add the local index there.', 'info');
    else toast('The new table starts empty: copy the items over (export and import) once it exists.', 'info');
  }
}
