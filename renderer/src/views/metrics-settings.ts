// The dashboards' settings panel: throttling simulation (off / provisioned / strict, the engine's
// SetThrottling) and fault injection rules (SetFaults: a probability of throttling errors,
// InternalServerError or added latency, per operation and table). Also shows the token buckets of
// provisioned tables, as DescribeThrottling reports them. And the reads' consistency (strong, or
// eventual: eventually consistent reads up to N ms stale, GSIs N ms late; SetConsistency).
import type {
  ConsistencyMode,
  ConsistencyState,
  FaultRule,
  FaultType,
  StudioBackend,
  ThrottleMode,
  ThrottlingState,
} from '../backend/api.js';
import { FAULT_TYPES, THROTTLE_MODES } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { clear, h, toast } from '../ui/dom.js';
import { formatValue } from './metrics-chart.js';

const MODE_HELP: Record<ThrottleMode, string> = {
  off: 'Never throttle (DynamoDB Local’s behaviour).',
  provisioned:
    'PROVISIONED tables and their GSIs get token buckets at their RCU/WCU with 300 s of burst: requests beyond them fail with ProvisionedThroughputExceededException.',
  strict: 'As provisioned, plus DynamoDB’s per-partition ceilings (3,000 RCU / 1,000 WCU per partition key).',
};

const CONSISTENCY_HELP: Record<ConsistencyMode, string> = {
  strong: 'Every read sees the last write (DynamoDB Local’s behaviour).',
  eventual:
    'Reads without ConsistentRead may return items as they were up to the window ago, and GSIs see writes a window late, as DynamoDB allows: code that reads its own write without ConsistentRead shows up.',
};

const FAULT_LABELS: Record<FaultType, string> = {
  ProvisionedThroughputExceededException: 'Throttle (ProvisionedThroughputExceeded)',
  ThrottlingException: 'Throttle (ThrottlingException)',
  InternalServerError: 'InternalServerError',
  Latency: 'Added latency',
};

/** Operations offered in the rule editor (any DynamoDB action name is accepted). */
const COMMON_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
];

interface RuleRow {
  type: FaultType;
  percent: string;
  operations: string;
  tables: string;
  latency: string;
}

function toRow(r: FaultRule): RuleRow {
  return {
    type: r.Type,
    percent: String(Math.round(r.Probability * 10000) / 100),
    operations: (r.Operations ?? []).join(', '),
    tables: (r.Tables ?? []).join(', '),
    latency: r.LatencyMs !== undefined ? String(r.LatencyMs) : '',
  };
}

function list(text: string): string[] | undefined {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}

/** The rules of the editor's rows; throws an Error naming the first bad field. */
export function rulesOf(rows: RuleRow[]): FaultRule[] {
  return rows.map((r, i) => {
    const p = Number(r.percent);
    if (r.percent.trim() === '' || !(p >= 0 && p <= 100))
      throw new Error(`Rule ${i + 1}: the probability is a percentage from 0 to 100`);
    const rule: FaultRule = { Type: r.type, Probability: p / 100 };
    const ops = list(r.operations);
    const tables = list(r.tables);
    if (ops) rule.Operations = ops;
    if (tables) rule.Tables = tables;
    if (r.type === 'Latency') {
      const ms = Number(r.latency);
      if (r.latency.trim() === '' || !(ms >= 0 && ms <= 60_000))
        throw new Error(`Rule ${i + 1}: the latency is a number of milliseconds from 0 to 60000`);
      rule.LatencyMs = ms;
    }
    return rule;
  });
}

function describeRule(r: FaultRule): string {
  const what = r.Type === 'Latency' ? `+${r.LatencyMs ?? 0} ms` : FAULT_LABELS[r.Type].replace(/ \(.*\)/, '');
  return `${what} ${formatValue(r.Probability * 100)}% · ${r.Operations?.join(', ') ?? 'all operations'} · ${r.Tables?.join(', ') ?? 'all tables'}`;
}

export class ThrottleSettings {
  readonly element: HTMLElement;
  private readonly modeSelect: HTMLSelectElement;
  private readonly modeHelp = h('span.hint');
  private readonly summary = h('span.faults-summary', { 'data-testid': 'faults-summary' });
  private readonly buckets = h('div.buckets', { 'data-testid': 'buckets' });
  private readonly editor = h('div.fault-editor', { hidden: true, 'data-testid': 'fault-editor' });
  private readonly rowsBox = h('div.fault-rows');
  private readonly error = h('div.form-error', { role: 'alert' });
  private readonly consistencyLine: HTMLElement;
  private readonly consistencySelect: HTMLSelectElement;
  private readonly windowInput: HTMLInputElement;
  private readonly consistencyHelp = h('span.hint');
  private consistency: ConsistencyState | undefined;
  /** Whether a DescribeConsistency is under way (the dashboard's polls ask once at a time). */
  private consistencyAsking = false;
  private rows: RuleRow[] = [];
  private state: ThrottlingState | undefined;
  private table: string | undefined;

  constructor(
    private readonly backend: StudioBackend,
    private readonly onChanged: () => void,
  ) {
    this.modeSelect = h(
      'select',
      {
        'aria-label': 'Throttling simulation',
        'data-testid': 'throttle-mode',
        onchange: () => void this.setMode(this.modeSelect.value as ThrottleMode),
      },
      THROTTLE_MODES.map((m) => h('option', { value: m }, m)),
    );
    this.consistencySelect = h(
      'select',
      {
        'aria-label': 'Read consistency',
        'data-testid': 'consistency-mode',
        onchange: () => void this.setConsistency(),
      },
      (['strong', 'eventual'] as const).map((m) => h('option', { value: m }, m)),
    );
    this.windowInput = h('input.latency', {
      type: 'number',
      min: '0',
      max: '3600000',
      value: '1000',
      'aria-label': 'Staleness window (ms)',
      'data-testid': 'consistency-window',
      onchange: () => void this.setConsistency(),
    });
    this.consistencyLine = h(
      'div.settings-line',
      { hidden: true, 'data-testid': 'consistency-line' },
      h('label.inline', null, 'Reads', this.consistencySelect),
      h('label.inline', null, 'up to', this.windowInput, 'ms stale'),
      this.consistencyHelp,
    );
    const toggle = h(
      'button.small',
      { 'data-testid': 'faults-toggle', onclick: () => this.toggleEditor() },
      'Fault injection…',
    );
    this.editor.append(
      h(
        'p.hint',
        null,
        'Each rule hits matching requests with its probability: a throttling error or InternalServerError instead of the answer, or the answer after the added latency. SDK retries see them as from DynamoDB. Applying replaces every rule.',
      ),
      this.rowsBox,
      h(
        'datalist#fault-operations',
        null,
        COMMON_OPERATIONS.map((o) => h('option', { value: o })),
      ),
      this.error,
      h(
        'div.form-row',
        null,
        h('button.small', { 'data-testid': 'fault-add', onclick: () => this.addRow() }, '+ Rule'),
        h('span.spacer'),
        h('button.small', { 'data-testid': 'faults-clear', onclick: () => void this.apply([]) }, 'Clear all'),
        h(
          'button.small.primary',
          { 'data-testid': 'faults-apply', onclick: () => void this.applyRows() },
          'Apply',
        ),
      ),
    );
    this.element = h(
      'section.settings-panel',
      { 'aria-label': 'Throttling and fault injection' },
      h(
        'div.settings-line',
        null,
        h('label.inline', null, 'Throttling', this.modeSelect),
        this.modeHelp,
        h('span.spacer'),
        this.summary,
        toggle,
      ),
      this.consistencyLine,
      this.buckets,
      this.editor,
    );
  }

  /** Asks for the consistency settings (another client may switch them); hidden where there are none. */
  private async refreshConsistency(): Promise<void> {
    this.consistencyAsking = true;
    try {
      this.showConsistency(await this.backend.describeConsistency({}));
    } catch {
      // A connection without Sortkey's switches (DynamoDB itself, an older endpoint).
      this.consistencyLine.hidden = true;
    } finally {
      this.consistencyAsking = false;
    }
  }

  private showConsistency(state: ConsistencyState): void {
    this.consistency = state;
    this.consistencyLine.hidden = false;
    if (document.activeElement !== this.consistencySelect) this.consistencySelect.value = state.Mode;
    if (document.activeElement !== this.windowInput) this.windowInput.value = String(state.WindowMs);
    this.consistencyHelp.textContent = CONSISTENCY_HELP[state.Mode];
    this.consistencyHelp.title = CONSISTENCY_HELP[state.Mode];
  }

  private async setConsistency(): Promise<void> {
    const mode = this.consistencySelect.value as ConsistencyMode;
    const windowMs = Number(this.windowInput.value);
    if (!Number.isInteger(windowMs) || windowMs < 0 || windowMs > 3_600_000) {
      toast('The staleness window is a whole number of milliseconds from 0 to 3600000', 'error');
      if (this.consistency) this.showConsistency(this.consistency);
      return;
    }
    try {
      const r = await this.backend.setConsistency({ mode, windowMs });
      this.showConsistency(r);
      toast(r.Mode === 'eventual' ? `Reads: eventual, up to ${r.WindowMs} ms stale` : 'Reads: strong', 'ok');
    } catch (e) {
      toast(errorText(e), 'error');
      if (this.consistency) this.showConsistency(this.consistency);
    }
  }

  /** The table a new rule applies to by default (the dashboard's), or all tables. */
  setTable(table: string | undefined): void {
    this.table = table;
  }

  update(state: ThrottlingState): void {
    this.state = state;
    if (!this.consistencyAsking) void this.refreshConsistency();
    if (document.activeElement !== this.modeSelect) this.modeSelect.value = state.Mode;
    this.modeHelp.textContent = MODE_HELP[state.Mode];
    this.modeHelp.title = MODE_HELP[state.Mode];
    this.summary.textContent =
      state.Faults.length === 0
        ? 'No faults injected'
        : `${state.Faults.length} fault rule${state.Faults.length > 1 ? 's' : ''}: ${state.Faults.map(describeRule).join('; ')}`;
    this.summary.classList.toggle('active', state.Faults.length > 0);
    const buckets = state.Buckets.filter((b) => this.table === undefined || b.TableName === this.table);
    clear(
      this.buckets,
      state.Mode === 'off' || buckets.length === 0
        ? null
        : buckets.map((b) =>
            h(
              'span.bucket',
              { title: 'Tokens available now / burst capacity (300 s of the provisioned rate)' },
              h('strong', null, b.IndexName ? `${b.TableName}.${b.IndexName}` : b.TableName),
              ` read ${formatValue(b.ReadTokens)}/${formatValue(b.ReadBurstCapacity)} (${b.ProvisionedReadCapacityUnits} RCU)`,
              ` · write ${formatValue(b.WriteTokens)}/${formatValue(b.WriteBurstCapacity)} (${b.ProvisionedWriteCapacityUnits} WCU)`,
            ),
          ),
    );
  }

  private async setMode(mode: ThrottleMode): Promise<void> {
    try {
      const r = await this.backend.setThrottling({ mode });
      toast(`Throttling simulation: ${r.Mode}`, 'ok');
      this.onChanged();
    } catch (e) {
      toast(errorText(e), 'error');
      if (this.state) this.modeSelect.value = this.state.Mode;
    }
  }

  private toggleEditor(): void {
    this.editor.hidden = !this.editor.hidden;
    if (!this.editor.hidden) {
      this.rows = (this.state?.Faults ?? []).map(toRow);
      if (this.rows.length === 0) this.addRow();
      else this.renderRows();
    }
  }

  private addRow(): void {
    this.rows.push({
      type: 'ProvisionedThroughputExceededException',
      percent: '10',
      operations: '',
      tables: this.table ?? '',
      latency: '200',
    });
    this.renderRows();
  }

  private renderRows(): void {
    this.error.textContent = '';
    clear(
      this.rowsBox,
      this.rows.map((r, i) => {
        const operations = h('input', {
          type: 'text',
          value: r.operations,
          placeholder: 'all operations (or PutItem, Query, …)',
          'aria-label': 'Operations',
          'data-testid': `fault-ops-${i}`,
          oninput: (e: Event) => (r.operations = (e.target as HTMLInputElement).value),
        });
        // An attribute: HTMLInputElement.list is a read-only property.
        operations.setAttribute('list', 'fault-operations');
        return h(
          'div.fault-row',
          null,
          h(
            'select',
            {
              'aria-label': 'Fault',
              'data-testid': `fault-type-${i}`,
              onchange: (e: Event) => {
                r.type = (e.target as HTMLSelectElement).value as FaultType;
                this.renderRows();
              },
            },
            FAULT_TYPES.map((t) => h('option', { value: t, selected: r.type === t }, FAULT_LABELS[t])),
          ),
          h('input.percent', {
            type: 'number',
            min: '0',
            max: '100',
            step: 'any',
            value: r.percent,
            'aria-label': 'Probability (%)',
            'data-testid': `fault-prob-${i}`,
            oninput: (e: Event) => (r.percent = (e.target as HTMLInputElement).value),
          }),
          h('span.hint', null, '%'),
          r.type === 'Latency'
            ? h('input.latency', {
                type: 'number',
                min: '0',
                max: '60000',
                value: r.latency,
                'aria-label': 'Added latency (ms)',
                'data-testid': `fault-latency-${i}`,
                oninput: (e: Event) => (r.latency = (e.target as HTMLInputElement).value),
              })
            : null,
          r.type === 'Latency' ? h('span.hint', null, 'ms') : null,
          operations,
          h('input', {
            type: 'text',
            value: r.tables,
            placeholder: 'all tables',
            'aria-label': 'Tables',
            'data-testid': `fault-tables-${i}`,
            oninput: (e: Event) => (r.tables = (e.target as HTMLInputElement).value),
          }),
          h(
            'button.icon-button',
            {
              'aria-label': 'Remove rule',
              'data-testid': `fault-remove-${i}`,
              onclick: () => {
                this.rows.splice(i, 1);
                this.renderRows();
              },
            },
            '×',
          ),
        );
      }),
      this.rows.length === 0 ? h('p.hint', null, 'No rules: requests are answered normally.') : null,
    );
  }

  private async applyRows(): Promise<void> {
    let rules: FaultRule[];
    try {
      rules = rulesOf(this.rows);
    } catch (e) {
      this.error.textContent = (e as Error).message;
      return;
    }
    await this.apply(rules);
  }

  private async apply(rules: FaultRule[]): Promise<void> {
    try {
      const r = await this.backend.setFaults({ faults: rules });
      this.rows = r.Faults.map(toRow);
      this.renderRows();
      toast(r.Faults.length ? `${r.Faults.length} fault rule(s) active` : 'Fault injection off', 'ok');
      this.onChanged();
    } catch (e) {
      this.error.textContent = errorText(e);
    }
  }
}
