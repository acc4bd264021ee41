// The PartiQL page: Monaco with PartiQL highlighting, completion and error markers; Ctrl/Cmd+Enter
// runs the statement at the cursor (or the selection); `?` parameters are typed in the side panel;
// history and saved queries persist; results below.
import type { AttributeValue, Item, StudioBackend, TableSummary } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { loadEditor } from '../editor/load.js';
import type { EditorModules } from '../editor/load.js';
import type { monaco } from '../editor/monaco.js';
import type { StatementProblem } from '../editor/partiql.js';
import { countParameters, isExplain, queryName, withoutExplain } from '../lib/statements.js';
import { parameterValue, TYPE_NAMES } from '../lib/values.js';
import { openCodeDialog } from './code-dialog.js';
import { openItemEditor } from './item-editor.js';
import type { TypeName } from '../lib/values.js';
import type { SchemaCache } from '../schema.js';
import {
  addHistory,
  clearHistory,
  deleteSaved,
  loadEditorText,
  loadHistory,
  loadSaved,
  onQueriesChanged,
  refreshQueries,
  saveEditorText,
  saveQuery,
} from '../state.js';
import { clear, h, promptDialog, toast } from '../ui/dom.js';
import { ResultsPanel } from './results.js';

interface ParamInput {
  type: TypeName | 'JSON';
  text: string;
}

type SideTab = 'params' | 'history' | 'saved';

const WELCOME = `-- Ctrl+Enter (⌘+Enter on macOS) runs the statement at the cursor, or the selection.
-- Statements are separated by ; or a blank line. Ctrl+Shift+Enter shows the plan (EXPLAIN).
`;

export class EditorView {
  readonly element: HTMLElement;
  private readonly editorHost = h('div.monaco-host', { 'data-testid': 'partiql-editor' });
  private readonly side = h('div.side-content');
  private readonly sideTabs: HTMLElement;
  private readonly problemsLine = h('span.problems', { 'data-testid': 'problems' });
  private readonly limitInput = h('input.limit', {
    type: 'number',
    min: '1',
    placeholder: 'none',
    title: 'Limit: items evaluated per page (DynamoDB’s Limit)',
    'aria-label': 'Limit',
  });
  private readonly results: ResultsPanel;
  private editor: monaco.editor.IStandaloneCodeEditor | undefined;
  /** Monaco's chunk, once loaded (see editor/load.ts); set before the editor exists. */
  private modules: EditorModules | undefined;
  private editorCreated: () => void = () => undefined;
  /** Settles once the editor exists (Monaco's chunk loads first). */
  private readonly whenCreated = new Promise<void>((resolve) => (this.editorCreated = resolve));
  private params: ParamInput[] = [];
  private paramCount = 0;
  private sideTab: SideTab = 'params';
  private last:
    | {
        statement: string;
        parameters?: AttributeValue[];
        nextToken?: string;
        table?: string;
        index?: string;
      }
    | undefined;
  private running = false;
  private creating = false;
  private destroyed = false;
  /** Saves the text now when a save is waiting for typing to pause. */
  private savePending: (() => void) | undefined;
  private stopTimers: (() => void) | undefined;
  private onPageHide: (() => void) | undefined;

  constructor(
    private readonly backend: StudioBackend,
    private readonly schema: SchemaCache,
    private readonly callbacks: { onTablesChanged(): void; tables(): TableSummary[] },
    /** Where this editor's text comes from and goes (a tab's); this window's one text otherwise. */
    private readonly text: { initial?: string; save(text: string): void } = {
      ...(loadEditorText() !== null ? { initial: loadEditorText()! } : {}),
      save: saveEditorText,
    },
  ) {
    onQueriesChanged(() => {
      if (this.sideTab !== 'params') this.renderSide();
    });
    this.results = new ResultsPanel({
      onLoadMore: () => void this.loadMore(),
      onOpenItem: (item) => this.openRow(item),
    });
    this.sideTabs = h(
      'div.tabs',
      { role: 'tablist' },
      (['params', 'history', 'saved'] as const).map((t) =>
        h(
          'button.tab',
          { role: 'tab', dataset: { tab: t }, onclick: () => this.showSide(t) },
          { params: 'Parameters', history: 'History', saved: 'Saved' }[t],
        ),
      ),
    );
    const toolbar = h(
      'div.toolbar',
      null,
      h(
        'button.primary',
        {
          onclick: () => void this.runAtCursor(),
          title: 'Run the statement at the cursor (Ctrl+Enter / ⌘+Enter)',
          'data-testid': 'run',
        },
        '▶ Run',
      ),
      h(
        'button',
        {
          onclick: () => void this.explainAtCursor(),
          title: 'Show the plan (Ctrl+Shift+Enter)',
          'data-testid': 'explain',
        },
        'Explain',
      ),
      h(
        'button',
        { onclick: () => void this.saveCurrent(), title: 'Save the statement at the cursor' },
        'Save…',
      ),
      h(
        'button',
        {
          onclick: () => this.showCode(),
          title: 'The statement at the cursor as code: AWS SDKs and the AWS CLI',
          'data-testid': 'show-code',
        },
        'Code',
      ),
      h('label.inline', null, 'Limit', this.limitInput),
      this.problemsLine,
    );
    this.element = h(
      'div.editor-page',
      null,
      h(
        'div.editor-top',
        null,
        h('div.editor-pane', null, toolbar, this.editorHost),
        h('aside.side-panel', null, this.sideTabs, this.side),
      ),
      this.results.element,
    );
  }

  shown(): void {
    if (this.editor) {
      this.editor.layout();
      return;
    }
    if (this.creating) return;
    this.creating = true;
    // The welcome text names a real table when there is one: wait (briefly) for the schema.
    void Promise.all([
      loadEditor(),
      Promise.race([this.schema.ready(), new Promise((r) => setTimeout(r, 1500))]),
    ]).then(
      ([modules]) => {
        this.modules = modules;
        this.create();
      },
      (e: unknown) => {
        this.creating = false;
        console.error('sortkey studio: the editor could not be loaded', e);
      },
    );
  }

  /**
   * The tab is closed or put away (another connection's tabs are shown): a save still waiting for
   * the pause in typing is made now (the tabs ignore it for a closed tab); then Monaco's editor and
   * model go, and nothing is saved any more.
   */
  destroy(): void {
    this.savePending?.();
    this.stopTimers?.();
    this.destroyed = true;
    if (this.onPageHide) window.removeEventListener('pagehide', this.onPageHide);
    const model = this.editor?.getModel();
    this.editor?.dispose();
    model?.dispose();
  }

  private create(): void {
    if (this.destroyed) return;
    const { monaco, PARTIQL, attachDiagnostics, registerCompletion } = this.modules!;
    registerCompletion(this.schema);
    const initial =
      this.text.initial ??
      WELCOME +
        (this.schema.tables()[0]
          ? `SELECT * FROM "${this.schema.tables()[0]}"\n`
          : 'SELECT * FROM "MyTable"\n');
    const model = monaco.editor.createModel(initial, PARTIQL);
    this.editor = monaco.editor.create(this.editorHost, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, comments: false, strings: false },
      suggestOnTriggerCharacters: true,
      tabSize: 2,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      ariaLabel: 'PartiQL editor',
    });
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void this.runAtCursor());
    this.editor.addCommand(
      monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter,
      () => void this.explainAtCursor(),
    );
    const diagnostics = attachDiagnostics(model, (p) => this.showProblems(p));
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    // Keystrokes and cursor moves only start timers: the work (which reads the statement at the
    // cursor, or the whole text to save it) runs once typing pauses.
    let paramsTimer: ReturnType<typeof setTimeout> | undefined;
    const paramsSoon = (): void => {
      clearTimeout(paramsTimer);
      paramsTimer = setTimeout(() => this.updateParams(), 120);
    };
    // Timers still waiting when the view goes must not touch the disposed model.
    this.stopTimers = () => {
      diagnostics.dispose();
      clearTimeout(paramsTimer);
    };
    this.savePending = () => {
      if (saveTimer === undefined) return;
      clearTimeout(saveTimer);
      saveTimer = undefined;
      this.text.save(model.getValue());
    };
    model.onDidChangeContent(() => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        if (!this.destroyed) this.text.save(model.getValue());
      }, 600);
      paramsSoon();
    });
    // Leaving the page must not lose the last keystrokes still waiting for the debounce.
    this.onPageHide = () => this.text.save(model.getValue());
    window.addEventListener('pagehide', this.onPageHide);
    this.editor.onDidChangeCursorPosition(paramsSoon);
    this.showSide('params');
    const lines = model.getLineCount();
    this.editor.setPosition({ lineNumber: lines, column: model.getLineMaxColumn(lines) });
    this.editor.focus();
    this.editorCreated();
  }

  private showProblems(problems: StatementProblem[]): void {
    clear(
      this.problemsLine,
      problems.length === 0
        ? h('span.ok-text', null, '✓ No syntax errors')
        : h(
            'span.error-text',
            { title: problems.map((p) => p.message).join('\n') },
            `⚠ ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems[0]!.hint || problems[0]!.message}`,
          ),
    );
  }

  /** The statement the editor would run now: the selection, else the statement at the cursor. */
  private currentStatement(): string | undefined {
    const ed = this.editor;
    if (!ed) return undefined;
    const model = ed.getModel()!;
    const sel = ed.getSelection();
    if (sel && !sel.isEmpty()) {
      const text = model.getValueInRange(sel).trim().replace(/;\s*$/, '');
      if (text) return text;
    }
    const pos = ed.getPosition() ?? { lineNumber: 1, column: 1 };
    return this.modules!.statementAtPosition(model, pos)?.text;
  }

  private updateParams(): void {
    if (this.destroyed) return;
    const n = countParameters(this.currentStatement() ?? '');
    if (n === this.paramCount) return;
    this.paramCount = n;
    while (this.params.length < n) this.params.push({ type: 'S', text: '' });
    if (this.sideTab === 'params') this.renderSide();
  }

  private parameters(): AttributeValue[] | undefined {
    if (this.paramCount === 0) return undefined;
    const out: AttributeValue[] = [];
    for (let i = 0; i < this.paramCount; i++) {
      const p = this.params[i]!;
      try {
        out.push(parameterValue(p.type, p.text));
      } catch (e) {
        throw new Error(`Parameter ${i + 1}: ${(e as Error).message}`);
      }
    }
    return out;
  }

  /** Puts a statement at the end of the editor and selects it (from the table browser). */
  insertStatement(text: string): void {
    const apply = (): void => {
      const ed = this.editor!;
      const model = ed.getModel()!;
      const value = model.getValue();
      const sep =
        value.trim() === '' ? '' : value.endsWith('\n\n') ? '' : value.endsWith('\n') ? '\n' : '\n\n';
      const start = value.length + sep.length;
      model.pushEditOperations(
        [],
        [{ range: model.getFullModelRange().collapseToEnd(), text: sep + text + '\n' }],
        () => null,
      );
      const a = model.getPositionAt(start);
      const b = model.getPositionAt(start + text.length);
      ed.setSelection(new this.modules!.monaco.Selection(a.lineNumber, a.column, b.lineNumber, b.column));
      ed.revealLine(b.lineNumber);
      ed.focus();
    };
    if (this.editor) apply();
    else void this.whenCreated.then(apply);
  }

  /** The statement at the cursor, with its parameters and Limit, as SDK and CLI code. */
  showCode(): void {
    this.updateParams();
    const statement = this.currentStatement();
    if (!statement) {
      toast('Nothing to show: write a statement first', 'info');
      return;
    }
    let parameters: AttributeValue[] | undefined;
    try {
      parameters = this.parameters();
    } catch (e) {
      this.results.showError((e as Error).message);
      this.showSide('params');
      return;
    }
    const limit = this.limitInput.value ? Number(this.limitInput.value) : undefined;
    void openCodeDialog(this.backend, {
      operation: 'ExecuteStatement',
      input: {
        Statement: statement,
        ...(parameters ? { Parameters: parameters } : {}),
        ...(limit ? { Limit: limit } : {}),
      },
    });
  }

  async runAtCursor(): Promise<void> {
    this.updateParams();
    const statement = this.currentStatement();
    if (!statement) {
      toast('Nothing to run: write a statement first', 'info');
      return;
    }
    if (isExplain(statement)) return this.explain(withoutExplain(statement), statement);
    if (this.running) return;
    let parameters: AttributeValue[] | undefined;
    try {
      parameters = this.parameters();
    } catch (e) {
      this.results.showError((e as Error).message);
      this.showSide('params');
      return;
    }
    const limit = this.limitInput.value ? Number(this.limitInput.value) : undefined;
    this.running = true;
    this.results.showRunning();
    try {
      const r = await this.backend.executeStatement({
        statement,
        ...(parameters ? { parameters } : {}),
        ...(limit ? { limit } : {}),
      });
      const { table, index } = targetOf(statement);
      this.last = {
        statement,
        ...(parameters ? { parameters } : {}),
        ...(r.nextToken ? { nextToken: r.nextToken } : {}),
        ...(table ? { table } : {}),
        ...(index ? { index } : {}),
      };
      const verb = /^\s*(insert|update|delete)\b/i.exec(statement)?.[1]?.toUpperCase() as
        'INSERT' | 'UPDATE' | 'DELETE' | undefined;
      if (verb && r.items.length === 0)
        this.results.showWrite(verb, {
          elapsedMs: r.elapsedMs,
          ...(r.consumedCapacity ? { capacity: r.consumedCapacity } : {}),
          ...(table ? { table } : {}),
        });
      else
        this.results.showItems(
          r.items,
          {
            elapsedMs: r.elapsedMs,
            capacity: r.consumedCapacity,
            more: !!r.nextToken,
          },
          (table && this.summaryOf(table)?.keySchema) || [],
        );
      if (table) this.schema.noteItems(table, r.items);
      void addHistory({ statement, at: Date.now(), ok: true, ms: r.elapsedMs, count: r.items.length });
      if (!/^\s*select\b/i.test(statement)) this.callbacks.onTablesChanged();
    } catch (e) {
      this.results.showError(errorText(e));
      void addHistory({ statement, at: Date.now(), ok: false, error: errorText(e) });
    } finally {
      this.running = false;
    }
  }

  private async loadMore(): Promise<void> {
    const last = this.last;
    if (!last?.nextToken || this.running) return;
    this.running = true;
    try {
      const limit = this.limitInput.value ? Number(this.limitInput.value) : undefined;
      const r = await this.backend.executeStatement({
        statement: last.statement,
        nextToken: last.nextToken,
        ...(last.parameters ? { parameters: last.parameters } : {}),
        ...(limit ? { limit } : {}),
      });
      if (r.nextToken) last.nextToken = r.nextToken;
      else delete last.nextToken;
      this.results.appendItems(r.items, {
        elapsedMs: r.elapsedMs,
        capacity: r.consumedCapacity,
        more: !!r.nextToken,
      });
      if (last.table) this.schema.noteItems(last.table, r.items);
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      this.running = false;
    }
  }

  private summaryOf(table: string): TableSummary | undefined {
    return this.callbacks.tables().find((t) => t.name === table);
  }

  /** A result row opens in the item editor when it carries the key of the table it came from. */
  private openRow(row: Item): void {
    const table = this.last?.table;
    const summary = table ? this.summaryOf(table) : undefined;
    if (!table || !summary) {
      toast('These rows do not come from one table: nothing to open', 'info');
      return;
    }
    const missing = summary.keySchema.filter((k) => !row[k.AttributeName]).map((k) => k.AttributeName);
    if (missing.length > 0) {
      toast(`This row has no ${missing.join(' and ')}: select the key attributes to open it`, 'info');
      return;
    }
    const index = this.last?.index;
    openItemEditor({
      backend: this.backend,
      table,
      keys: { keySchema: summary.keySchema, attributeDefinitions: summary.attributeDefinitions },
      item: row,
      isNew: false,
      ...(index ? { index } : {}),
      onSaved: (saved) => {
        this.results.updateItem(saved);
        this.callbacks.onTablesChanged();
      },
      onDeleted: (deleted) => {
        this.results.removeItem(deleted);
        this.callbacks.onTablesChanged();
      },
    });
  }

  async explainAtCursor(): Promise<void> {
    const statement = this.currentStatement();
    if (!statement) return;
    await this.explain(withoutExplain(statement), statement);
  }

  private async explain(statement: string, shown: string): Promise<void> {
    let parameters: AttributeValue[] | undefined;
    try {
      parameters = this.parameters();
    } catch (e) {
      this.results.showError((e as Error).message);
      return;
    }
    this.results.showRunning();
    try {
      const plan = await this.backend.explain({ statement, ...(parameters ? { parameters } : {}) });
      this.results.showPlan(plan, shown);
    } catch (e) {
      this.results.showError(errorText(e));
    }
  }

  private async saveCurrent(): Promise<void> {
    const statement = this.currentStatement();
    if (!statement) return;
    const name = await promptDialog('Save query', 'Name', queryName(statement));
    if (!name) return;
    try {
      await saveQuery(name, statement);
    } catch (e) {
      toast(`Not saved: ${errorText(e)}`, 'error');
      return;
    }
    toast(`Saved “${name}”`, 'ok');
    this.showSide('saved');
  }

  private showSide(tab: SideTab): void {
    // History and saved queries may have changed in another window: show the current lists.
    if (tab !== 'params' && tab !== this.sideTab) void refreshQueries();
    this.sideTab = tab;
    for (const b of this.sideTabs.querySelectorAll<HTMLElement>('.tab'))
      b.classList.toggle('active', b.dataset.tab === tab);
    this.renderSide();
  }

  private renderSide(): void {
    if (this.sideTab === 'params') return this.renderParams();
    if (this.sideTab === 'history') {
      const list = loadHistory();
      clear(
        this.side,
        list.length
          ? h('button.small.link', { onclick: () => void clearHistory() }, 'Clear history')
          : h('p.hint', null, 'Statements you run appear here.'),
        h(
          'ul.query-list',
          { 'data-testid': 'history' },
          list.map((e) =>
            h(
              'li',
              { class: e.ok ? '' : 'failed', title: e.error ?? '' },
              h(
                'button.query-item',
                { onclick: () => this.insertStatement(e.statement) },
                h('code', null, e.statement),
              ),
              h(
                'span.meta',
                null,
                new Date(e.at).toLocaleString(),
                e.ok ? ` · ${e.count ?? 0} items` : ' · failed',
              ),
            ),
          ),
        ),
      );
      return;
    }
    const saved = loadSaved();
    clear(
      this.side,
      saved.length
        ? null
        : h('p.hint', null, 'Save a statement with “Save…”; saved queries are kept across restarts.'),
      h(
        'ul.query-list',
        { 'data-testid': 'saved' },
        saved.map((q) =>
          h(
            'li',
            null,
            h(
              'button.query-item',
              { onclick: () => this.insertStatement(q.statement) },
              h('strong', null, q.name),
              h('code', null, q.statement),
            ),
            h(
              'button.icon-button',
              {
                title: 'Delete',
                'aria-label': `Delete ${q.name}`,
                onclick: () => void deleteSaved(q.name),
              },
              '×',
            ),
          ),
        ),
      ),
    );
  }

  private renderParams(): void {
    if (this.paramCount === 0) {
      clear(
        this.side,
        h(
          'p.hint',
          null,
          'The statement at the cursor has no ? parameters. Write ',
          h('code', null, 'WHERE pk = ?'),
          ' and give the value here, with its type.',
        ),
      );
      return;
    }
    const rows = [];
    for (let i = 0; i < this.paramCount; i++) {
      const p = this.params[i]!;
      const type = h(
        'select',
        {
          'aria-label': `Type of parameter ${i + 1}`,
          onchange: (e: Event) => (p.type = (e.target as HTMLSelectElement).value as ParamInput['type']),
        },
        [...TYPE_NAMES, 'JSON'].map((t) =>
          h('option', { value: t, selected: t === p.type }, t === 'JSON' ? 'DynamoDB JSON' : t),
        ),
      );
      const value = h('input', {
        type: 'text',
        value: p.text,
        placeholder: 'value',
        'aria-label': `Value of parameter ${i + 1}`,
        'data-testid': `param-${i + 1}`,
        oninput: (e: Event) => (p.text = (e.target as HTMLInputElement).value),
        onkeydown: (e: KeyboardEvent) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void this.runAtCursor();
        },
      });
      rows.push(h('div.param-row', null, h('span.param-index', null, `?${i + 1}`), type, value));
    }
    clear(
      this.side,
      h(
        'p.hint',
        null,
        'Values for the ? of the statement at the cursor, in order. Sets, lists and maps take DynamoDB JSON values, e.g. ["a","b"] for SS.',
      ),
      rows,
    );
  }
}

/** The table (and index) a statement names after FROM, INTO or UPDATE. */
function targetOf(statement: string): { table?: string; index?: string } {
  const name = String.raw`(?:"((?:[^"]|"")+)"|([A-Za-z_][\w-]*))`;
  const m = new RegExp(String.raw`\b(?:from|into|update)\s+${name}(?:\s*\.\s*${name})?`, 'i').exec(statement);
  if (!m) return {};
  const unquote = (quoted: string | undefined, bare: string | undefined): string | undefined =>
    quoted !== undefined ? quoted.replace(/""/g, '"') : bare;
  const table = unquote(m[1], m[2]);
  const index = unquote(m[3], m[4]);
  return { ...(table ? { table } : {}), ...(index ? { index } : {}) };
}
