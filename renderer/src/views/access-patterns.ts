// The access-pattern view of the index designer: for a statement typed in (or every saved query on
// the table), which of the table's indexes serves it and at what cost. The backend's planAccess runs
// EXPLAIN on the statement as written and with its FROM pointed at the table and at each index, on
// the current data; the cheapest Query wins over any Scan.
import type { AccessPlan, AccessTargetPlan, StudioBackend, TableSummary } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { candidateStatements } from '../lib/index-estimate.js';
import { loadHistory, loadSaved, refreshQueries } from '../state.js';
import { clear, dataTable, formatCount, h } from '../ui/dom.js';

/** The operation badge of a plan: GetItem/Query/Scan, on which index, and how many partitions. */
export function planBadge(p: AccessTargetPlan | undefined): HTMLElement {
  if (!p) return h('span.hint', null, '—');
  if (!p.explain) return h('span.op.op-error', { title: p.error ?? '' }, 'cannot run');
  const step = p.explain.Steps[0];
  const op = step?.Operation ?? p.explain.StatementKind;
  return h(
    'span',
    { class: `op op-${op}`, title: step?.KeyCondition ?? step?.Filter ?? '' },
    op,
    step?.Partitions && step.Partitions > 1 ? ` ×${step.Partitions}` : '',
  );
}

export function targetLabel(p: AccessTargetPlan): string {
  return p.target === '' ? 'table' : `${p.proposed ? 'proposed ' : ''}${p.kind} ${p.target}`;
}

export function costText(p: AccessTargetPlan): string {
  if (!p.explain) return '';
  const e = p.explain;
  const items =
    e.EstimatedItemsRead !== undefined ? ` · ${formatCount(e.EstimatedItemsRead)} items read` : '';
  return `${p.scaled ? '≈ ' : ''}${e.EstimatedReadCapacityUnits} RCU${items}`;
}

export class AccessPatternsView {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly results = h('div.pattern-results', { 'data-testid': 'pattern-results' });
  private table: TableSummary | undefined;
  private generation = 0;

  constructor(
    private readonly backend: StudioBackend,
    private readonly callbacks: { onQuery(statement: string): void },
  ) {
    this.input = h('textarea.pattern-input', {
      rows: 3,
      spellcheck: false,
      'aria-label': 'Statement',
      'data-testid': 'pattern-input',
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void this.explain();
        }
      },
    });
    this.element = h(
      'section.access-patterns',
      { 'aria-label': 'Access patterns', 'data-testid': 'access-patterns' },
      h(
        'p.hint',
        null,
        'Type a SELECT: it is planned as written and against the table and each of its indexes (EXPLAIN on the current data). PartiQL reads an index only when the statement names it ("Table"."Index"), so this shows which name to use.',
      ),
      this.input,
      h(
        'div.form-row',
        null,
        h(
          'button.primary',
          { 'data-testid': 'pattern-explain', onclick: () => void this.explain(), title: 'Ctrl+Enter' },
          'Which index serves it?',
        ),
        h(
          'button',
          { 'data-testid': 'pattern-saved', onclick: () => void this.explainSaved() },
          'Check my saved queries',
        ),
      ),
      this.results,
    );
  }

  setTable(table: TableSummary): void {
    const changed = this.table?.name !== table.name;
    this.table = table;
    if (changed) {
      const pk = table.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'pk';
      this.input.value = `SELECT * FROM "${table.name}" WHERE ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(pk) ? pk : `"${pk}"`} = ?`;
      clear(this.results);
    }
  }

  private async run(statements: string[]): Promise<AccessPlan[] | undefined> {
    const table = this.table;
    if (!table) return undefined;
    const generation = ++this.generation;
    clear(this.results, h('p.hint', null, 'Planning…'));
    try {
      const r = await this.backend.planAccess({ statements, table: table.name });
      if (generation !== this.generation) return undefined;
      return r.plans;
    } catch (e) {
      if (generation === this.generation) clear(this.results, h('div.error-box', null, errorText(e)));
      return undefined;
    }
  }

  async explain(): Promise<void> {
    const text = this.input.value.trim().replace(/;\s*$/, '');
    if (!text || !this.table) return;
    const plans = await this.run([text]);
    if (!plans) return;
    const plan = plans[0];
    if (!plan) {
      clear(
        this.results,
        h(
          'div.warning-box',
          null,
          `This statement does not read ${this.table.name}: pick that table in the designer.`,
        ),
      );
      return;
    }
    clear(this.results, this.renderPlan(plan));
  }

  private async explainSaved(): Promise<void> {
    await refreshQueries();
    const candidates = candidateStatements(loadSaved(), loadHistory());
    const plans = await this.run(candidates.map((c) => c.statement));
    if (!plans) return;
    if (plans.length === 0) {
      clear(
        this.results,
        h('p.hint', null, `No saved query or history entry reads ${this.table?.name ?? 'this table'}.`),
      );
      return;
    }
    clear(
      this.results,
      h(
        'table.data-table.pattern-summary',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Statement', 'As written', 'Best', 'Cost'].map((c) => h('th', null, c)),
          ),
        ),
        h(
          'tbody',
          null,
          plans.map((p) => {
            const best = p.targets.find((t) => t.target === p.best);
            return h(
              'tr',
              null,
              h('td.code', null, p.statement),
              h('td', null, planBadge(p.current), p.current ? ` ${costText(p.current)}` : ''),
              h('td', null, best ? planBadge(best) : '—', best ? ` ${targetLabel(best)}` : ''),
              h('td', null, best ? costText(best) : (p.error ?? '')),
            );
          }),
        ),
      ),
    );
  }

  private renderPlan(plan: AccessPlan): HTMLElement {
    if (plan.error) return h('div.error-box', null, plan.error);
    const best = plan.targets.find((t) => t.target === plan.best);
    return h(
      'div',
      null,
      best
        ? h(
            'div',
            {
              class: best.explain?.FullTableScan ? 'warning-box' : 'ok-box',
              'data-testid': 'pattern-best',
              dataset: { target: best.target },
            },
            best.explain?.FullTableScan
              ? 'Every target scans: no index has this statement’s partition key. Design one in the other tab.'
              : `Best: ${targetLabel(best)} (${best.explain?.Steps[0]?.Operation ?? ''}, ${costText(best)})`,
            best.target !== (plan.index ?? '') && !best.explain?.FullTableScan
              ? h(
                  'button.small',
                  { onclick: () => this.callbacks.onQuery(best.statement), style: { marginLeft: '0.8rem' } },
                  'Open the rewritten statement in PartiQL',
                )
              : null,
          )
        : null,
      dataTable(
        ['Target', 'Operation', 'Key condition', 'Filter', 'Estimated cost', 'Notes'],
        plan.targets.map((t) => {
          const step = t.explain?.Steps[0];
          return h(
            'tr.pattern-row',
            {
              class: `pattern-row${t.target === plan.best ? ' best' : ''}`,
              dataset: { target: t.target, operation: step?.Operation ?? 'error' },
            },
            h(
              'td',
              null,
              targetLabel(t),
              t === plan.current ? h('span.tag', null, 'as written') : null,
              t.target === plan.best ? h('span.tag.tag-best', null, 'best') : null,
            ),
            h('td', null, planBadge(t)),
            h('td.code', null, step?.KeyCondition ?? '—'),
            h('td.code', null, step?.Filter ?? '—'),
            h('td', null, costText(t)),
            h(
              'td.notes',
              null,
              t.error ? h('div.error-text', null, t.error) : null,
              t.notes.map((n) => h('div', null, n)),
            ),
          );
        }),
      ),
    );
  }
}
