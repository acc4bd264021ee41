// Item grids (ag-grid): one column per attribute (the union over the rows, keys pinned first),
// cells that show each DynamoDB type distinctly, exact numeric sorting, and a value inspector for
// sets, lists, maps and binary.
import { AllCommunityModule, ModuleRegistry, createGrid, themeQuartz } from 'ag-grid-community';
import type { ColDef, GridApi, GridOptions, ICellRendererParams } from 'ag-grid-community';
import type { AttributeValue, Item, KeySchemaElement } from '../backend/api.js';
import { cellSummary, compareValues, itemToPlain, keyId, typeOf, unionOfAttributes } from '../lib/values.js';
import { stringifyPlain } from '../lib/json.js';
import { h } from '../ui/dom.js';

ModuleRegistry.registerModules([AllCommunityModule]);

const theme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontSize: 12,
  rowHeight: 30,
  headerHeight: 32,
  spacing: 6,
  // The stylesheet's variables: the grid follows the light or dark theme without being rebuilt.
  accentColor: 'var(--accent)',
  borderColor: 'var(--border)',
  headerBackgroundColor: 'var(--panel-2)',
  backgroundColor: 'var(--panel)',
  foregroundColor: 'var(--text)',
  wrapperBorderRadius: 0,
});

function renderCell(params: ICellRendererParams<Item, AttributeValue | undefined>): HTMLElement | string {
  const v = params.value;
  if (v === undefined || v === null) return '';
  const t = typeOf(v);
  const s = cellSummary(v);
  const el = h('span', { class: `cell cell-${t}`, title: s.text });
  if (s.tag) el.append(h('span.type-tag', null, s.tag));
  el.append(h('span.cell-text', null, s.text));
  return el;
}

export interface ItemGridOptions {
  /** Key attributes of the table (pinned first, used as row ids); empty for statement results. */
  keySchema?: KeySchemaElement[];
  onOpenItem?: (item: Item) => void;
  /** The Delete key on a focused row (the view asks for confirmation). */
  onDeleteKey?: (item: Item) => void;
  /** The selected rows changed (click, Ctrl/Cmd+click, Shift+click). */
  onSelectionChanged?: (selected: Item[]) => void;
  /** Called when the grid is scrolled to within `aheadRows` rows of its last row. */
  onNearEnd?: () => void;
  /** How many rows below the view should already be loaded (default 15). */
  aheadRows?: () => number;
  overlay?: string;
}

let measureContext: CanvasRenderingContext2D | null | undefined;

/** Width in pixels of `text` in the grid's font. */
function textWidth(text: string, font: string): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * 7.5;
  measureContext.font = font;
  return measureContext.measureText(text).width;
}

export class ItemGrid {
  readonly api: GridApi<Item>;
  private columns: string[] = [];
  private keySchema: KeySchemaElement[];
  private rows: Item[] = [];
  private inspector: HTMLElement | undefined;
  /** Rows are identified by their key (the table browser); otherwise by object. */
  private readonly keyedRows: boolean;

  constructor(
    readonly host: HTMLElement,
    private readonly options: ItemGridOptions = {},
  ) {
    this.keySchema = options.keySchema ?? [];
    this.keyedRows = this.keySchema.length > 0;
    const gridOptions: GridOptions<Item> = {
      theme,
      rowData: [],
      columnDefs: [],
      defaultColDef: {
        sortable: true,
        resizable: true,
        minWidth: 70,
        width: 160,
        cellRenderer: renderCell,
        comparator: (a: AttributeValue | undefined, b: AttributeValue | undefined) => compareValues(a, b),
      },
      suppressFieldDotNotation: true,
      animateRows: false,
      // Ctrl/Cmd+click adds a row, Shift+click a range.
      rowSelection: {
        mode: 'multiRow',
        checkboxes: false,
        headerCheckbox: false,
        enableClickSelection: true,
      },
      overlayNoRowsTemplate: `<span class="grid-empty">${options.overlay ?? 'No items'}</span>`,
      onCellClicked: (e) => {
        const v = e.value as AttributeValue | undefined;
        if (v && cellSummary(v).expandable)
          this.inspect(String(e.colDef.colId), v, e.event as MouseEvent | undefined);
      },
      // Keyboard use: arrows move the focused cell (ag-grid's own), Enter opens the focused row's
      // item, Delete asks to delete it.
      onCellKeyDown: (e) => {
        const key = (e.event as KeyboardEvent | null | undefined)?.key;
        if (!e.data || (key !== 'Enter' && key !== 'Delete')) return;
        e.event!.preventDefault();
        if (key === 'Enter') options.onOpenItem?.(e.data);
        else options.onDeleteKey?.(e.data);
      },
      onRowDoubleClicked: (e) => {
        if (e.data) options.onOpenItem?.(e.data);
      },
      onBodyScroll: () => this.checkNearEnd(),
      onSelectionChanged: () => options.onSelectionChanged?.(this.api.getSelectedRows()),
      getRowId: this.keySchema.length ? (p) => keyId(p.data, this.keySchema) : undefined,
    };
    this.api = createGrid(host, gridOptions);
  }

  /** Asks for more rows when fewer than `aheadRows` are left below the view. */
  checkNearEnd(): void {
    if (!this.options.onNearEnd) return;
    const last = this.api.getLastDisplayedRowIndex();
    const ahead = this.options.aheadRows?.() ?? 15;
    if (last >= this.rows.length - ahead) this.options.onNearEnd();
  }

  /** A key column wide enough for the longest of its first rows' values (and its header). */
  private keyColumnWidth(name: string, header: string): number {
    // Key cells are bold (.key-cell).
    const font = `600 13px ${getComputedStyle(this.host).fontFamily || 'sans-serif'}`;
    let widest = textWidth(header, `600 12px ${getComputedStyle(this.host).fontFamily || 'sans-serif'}`) + 40;
    for (const row of this.rows.slice(0, 300)) {
      const v = row[name];
      if (v) widest = Math.max(widest, textWidth(cellSummary(v).text, font) + 30);
    }
    return Math.ceil(Math.min(420, Math.max(110, widest)));
  }

  private columnDefs(): ColDef<Item>[] {
    const keyNames = this.keySchema.map((k) => k.AttributeName);
    return this.columns.map((name) => {
      const key = this.keySchema.find((k) => k.AttributeName === name);
      const def: ColDef<Item> = {
        colId: name,
        headerName: key ? `${name} ${key.KeyType === 'HASH' ? '(PK)' : '(SK)'}` : name,
        headerTooltip: key ? `${key.KeyType === 'HASH' ? 'Partition' : 'Sort'} key` : name,
        valueGetter: (p) => p.data?.[name],
      };
      if (keyNames.includes(name)) {
        def.pinned = 'left';
        def.lockPinned = true;
        def.cellClass = 'key-cell';
        def.width = this.keyColumnWidth(name, def.headerName!);
      }
      return def;
    });
  }

  /**
   * Shows the "no rows" overlay when the grid is empty and hides it otherwise: an overlay shown
   * explicitly stays over rows added later (the first item of an empty table) until hidden.
   */
  syncOverlay(): void {
    if (this.rows.length === 0) this.api.showNoRowsOverlay?.();
    else this.api.hideOverlay?.();
  }

  /** Replaces the rows (and the columns, from the union of their attributes). */
  setItems(items: Item[], keyNames?: string[]): void {
    this.rows = [...items];
    this.columns = unionOfAttributes(items, keyNames ?? this.keySchema.map((k) => k.AttributeName));
    this.api.setGridOption('columnDefs', this.columnDefs());
    this.api.setGridOption('rowData', this.rows);
    this.closeInspector();
  }

  /** Appends rows, adding columns for attributes not seen before. */
  addItems(items: Item[]): void {
    if (items.length === 0) return;
    this.rows.push(...items);
    const before = this.columns.length;
    this.columns = unionOfAttributes(items, this.columns);
    if (this.columns.length !== before) this.api.setGridOption('columnDefs', this.columnDefs());
    this.api.applyTransaction({ add: items });
    this.api.hideOverlay?.();
  }

  /** Replaces one row (same key) after an edit. */
  updateItem(item: Item): void {
    const id = keyId(item, this.keySchema);
    const i = this.rows.findIndex((r) => keyId(r, this.keySchema) === id);
    if (i < 0) {
      this.addItems([item]);
      return;
    }
    const old = this.rows[i]!;
    this.rows[i] = item;
    const before = this.columns.length;
    this.columns = unionOfAttributes([item], this.columns);
    if (this.columns.length !== before) this.api.setGridOption('columnDefs', this.columnDefs());
    if (this.keyedRows) this.api.applyTransaction({ update: [item] });
    // Rows without ids are found by object: replace the old object where it was.
    else this.api.applyTransaction({ remove: [old], add: [item], addIndex: i });
  }

  removeItem(item: Item): void {
    const id = keyId(item, this.keySchema);
    const i = this.rows.findIndex((r) => keyId(r, this.keySchema) === id);
    if (i >= 0) {
      const [row] = this.rows.splice(i, 1);
      this.api.applyTransaction({ remove: [row!] });
    }
    if (this.rows.length === 0) this.syncOverlay();
  }

  /** Puts the keyboard focus on row `index` (its first column), e.g. after the focused row went. */
  focusRow(index: number): void {
    const column = this.api.getAllDisplayedColumns()[0];
    if (index < 0 || !column) return;
    this.api.ensureIndexVisible(index);
    this.api.setFocusedCell(index, column);
  }

  /** Gives the focus back to `item`'s row (after a dialog that took it). */
  focusRowOf(item: Item): void {
    const focused = this.api.getFocusedCell();
    const index = this.api.getRowNode(this.keyedRows ? keyId(item, this.keySchema) : '')?.rowIndex;
    if (focused && index !== undefined && index !== null) this.api.setFocusedCell(index, focused.column);
  }

  /** True when two rows have the same key. */
  sameKey(a: Item, b: Item): boolean {
    return this.keySchema.length > 0 && keyId(a, this.keySchema) === keyId(b, this.keySchema);
  }

  setKeySchema(keySchema: KeySchemaElement[]): void {
    this.keySchema = keySchema;
  }

  get items(): Item[] {
    return this.rows;
  }

  selected(): Item[] {
    return this.api.getSelectedRows();
  }

  /** A popup with the whole value, in plain and DynamoDB JSON. */
  inspect(name: string, value: AttributeValue, event?: MouseEvent): void {
    this.closeInspector();
    const plain = stringifyPlain(itemToPlain({ [name]: value })[name]!);
    const dynamo = JSON.stringify(value, null, 2);
    const pre = h('pre.inspector-value', null, plain);
    const tabs = h(
      'div.tabs.small',
      null,
      h('button.tab.active', { onclick: (e: Event) => switchTo(e, plain) }, 'JSON'),
      h('button.tab', { onclick: (e: Event) => switchTo(e, dynamo) }, 'DynamoDB JSON'),
    );
    const switchTo = (e: Event, text: string): void => {
      for (const b of tabs.querySelectorAll('.tab')) b.classList.toggle('active', b === e.currentTarget);
      pre.textContent = text;
    };
    const box = h(
      'div.inspector',
      { 'data-testid': 'value-inspector' },
      h(
        'div.inspector-head',
        null,
        h('strong', null, name),
        h('span.type-tag', null, typeOf(value)),
        tabs,
        h('button.icon-button', { 'aria-label': 'Close', onclick: () => this.closeInspector() }, '×'),
      ),
      pre,
    );
    const rect = this.host.getBoundingClientRect();
    const x = event ? event.clientX - rect.left : 40;
    const y = event ? event.clientY - rect.top : 40;
    box.style.left = `${Math.max(8, Math.min(x, rect.width - 420))}px`;
    box.style.top = `${Math.max(8, Math.min(y + 12, rect.height - 220))}px`;
    this.host.style.position = 'relative';
    this.host.append(box);
    this.inspector = box;
  }

  closeInspector(): void {
    this.inspector?.remove();
    this.inspector = undefined;
  }

  destroy(): void {
    this.api.destroy();
  }
}
