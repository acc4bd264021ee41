// The dashboards' auto scaling and alarms panel (engine/automation through the backend's `scaling`
// and `alarms`): on a table's dashboard, its target-tracking policies (table and GSIs) with what the
// scaler last saw and its recent capacity changes, and a form to set one; on every dashboard, the
// alarms (of the table, or all of them) with their state and reason, and a form to add one.
// Refreshed with the dashboard's poll; the scaler itself runs in the server.
import type {
  AlarmDescription,
  DescribeScalingPoliciesOutput,
  StudioBackend,
  TableSummary,
} from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { METRIC_NAMES } from '../../../common/types.js';
import { clear, h, toast } from '../ui/dom.js';

const COMPARISONS: readonly [string, string][] = [
  ['GreaterThanThreshold', '>'],
  ['GreaterThanOrEqualToThreshold', '≥'],
  ['LessThanThreshold', '<'],
  ['LessThanOrEqualToThreshold', '≤'],
];
const STATISTICS = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount', 'p50', 'p90', 'p99'];
const MISSING = ['missing', 'notBreaching', 'breaching', 'ignore'];

function field(label: string, control: HTMLElement): HTMLElement {
  return h('label.inline', null, label, control);
}

function num(testId: string, value: string, label: string, width = '5rem'): HTMLInputElement {
  const input = h('input', { type: 'number', value, 'aria-label': label, 'data-testid': testId, min: '0' });
  input.style.width = width;
  return input;
}

function select(
  testId: string,
  label: string,
  options: readonly (string | [string, string])[],
): HTMLSelectElement {
  return h(
    'select',
    { 'aria-label': label, 'data-testid': testId },
    options.map((o) =>
      Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o),
    ),
  );
}

function when(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleTimeString();
}

export class AutomationPanel {
  readonly element: HTMLElement;
  private readonly scalingBox = h('div.automation-scaling', { 'data-testid': 'scaling-policies' });
  private readonly activitiesBox = h('div.automation-activities', { 'data-testid': 'scaling-activities' });
  private readonly alarmsBox = h('div.automation-alarms', { 'data-testid': 'alarms' });
  private readonly scalingForm: HTMLElement;
  private readonly scalingSection: HTMLElement;
  private readonly error = h('div.form-error', { role: 'alert', 'data-testid': 'automation-error' });
  private readonly indexSelect: HTMLSelectElement;
  private readonly dimension = select('scaling-dimension', 'Capacity', [
    ['ReadCapacityUnits', 'Read'],
    ['WriteCapacityUnits', 'Write'],
  ]);
  private readonly min = num('scaling-min', '5', 'Minimum capacity');
  private readonly max = num('scaling-max', '500', 'Maximum capacity');
  private readonly target = num('scaling-target', '70', 'Target utilisation (%)', '4rem');
  private readonly alarmName = h('input', {
    type: 'text',
    'aria-label': 'Alarm name',
    'data-testid': 'alarm-name',
    placeholder: 'name',
  });
  private readonly metric = select('alarm-metric', 'Metric', METRIC_NAMES);
  private readonly operation = h('input', {
    type: 'text',
    'aria-label': 'Operation',
    'data-testid': 'alarm-operation',
    placeholder: 'any operation',
  });
  private readonly statistic = select('alarm-statistic', 'Statistic', STATISTICS);
  private readonly comparison = select('alarm-comparison', 'Comparison', COMPARISONS);
  private readonly threshold = num('alarm-threshold', '0', 'Threshold', '6rem');
  private readonly period = num('alarm-period', '60', 'Period (s)', '4.5rem');
  private readonly evaluations = num('alarm-evaluations', '1', 'Evaluation periods', '3.5rem');
  private readonly datapoints = num('alarm-datapoints', '1', 'Datapoints to alarm', '3.5rem');
  private readonly missing = select('alarm-missing', 'Missing data', MISSING);
  private table: string | undefined;
  private busy = false;

  constructor(private readonly backend: StudioBackend) {
    this.indexSelect = select('scaling-index', 'Table or GSI', [['', 'Table']]);
    this.scalingForm = h(
      'div.form-row.automation-form',
      null,
      this.indexSelect,
      this.dimension,
      field('min', this.min),
      field('max', this.max),
      field('target %', this.target),
      h(
        'button.small.primary',
        { 'data-testid': 'scaling-save', onclick: () => void this.savePolicy() },
        'Set policy',
      ),
    );
    this.scalingSection = h(
      'div.automation-section',
      null,
      h('h3', null, 'Auto scaling'),
      h(
        'p.hint',
        null,
        'Target tracking as DynamoDB does it: capacity rises after 2 minutes above the target, falls after 15 minutes 20 points below it (4 decreases a day, then one an hour). The server runs the scaler; sortkey serve --scaling-speed shortens its minutes.',
      ),
      this.scalingBox,
      this.scalingForm,
      this.activitiesBox,
    );
    this.element = h(
      'section.settings-panel.automation-panel',
      { 'aria-label': 'Auto scaling and alarms', 'data-testid': 'automation-panel' },
      this.scalingSection,
      h(
        'div.automation-section',
        null,
        h('h3', null, 'Alarms'),
        this.alarmsBox,
        h(
          'div.form-row.automation-form',
          null,
          this.alarmName,
          this.metric,
          field('op', this.operation),
          this.statistic,
          this.comparison,
          this.threshold,
          field('period s', this.period),
          field('N', this.evaluations),
          field('M', this.datapoints),
          field('missing', this.missing),
          h(
            'button.small.primary',
            { 'data-testid': 'alarm-save', onclick: () => void this.saveAlarm() },
            'Add alarm',
          ),
        ),
      ),
      this.error,
    );
  }

  /** The dashboard's table (undefined: the overview) and its GSIs. */
  setTable(table: string | undefined, summary: TableSummary | undefined): void {
    this.table = table;
    this.scalingSection.hidden = table === undefined;
    const gsis = summary?.indexes.filter((i) => i.kind === 'GSI') ?? [];
    const chosen = this.indexSelect.value;
    clear(
      this.indexSelect,
      h('option', { value: '' }, 'Table'),
      gsis.map((g) => h('option', { value: g.name, selected: g.name === chosen }, `GSI ${g.name}`)),
    );
  }

  /** Reads the policies and alarms again (the dashboard's poll calls this). */
  async refresh(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const table = this.table;
      const [scaling, alarms] = await Promise.all([
        table !== undefined
          ? this.backend.scaling({ action: 'describe', input: { TableName: table, MaxActivities: 10 } })
          : Promise.resolve(undefined),
        this.backend.alarms({ action: 'describe', input: table !== undefined ? { TableName: table } : {} }),
      ]);
      if (table !== this.table) return;
      if (scaling) this.renderScaling(scaling);
      this.renderAlarms(alarms.Alarms ?? []);
    } catch (e) {
      this.error.textContent = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  private renderScaling(s: DescribeScalingPoliciesOutput): void {
    clear(
      this.scalingBox,
      s.ScalingPolicies.length === 0
        ? h('p.hint', null, 'No scaling policy: the capacity changes only when you change it.')
        : s.ScalingPolicies.map((p) => {
            const what = `${p.IndexName ? `GSI ${p.IndexName}` : 'Table'} ${p.ScalableDimension === 'ReadCapacityUnits' ? 'read' : 'write'}`;
            const id = `${p.IndexName ?? ''}-${p.ScalableDimension}`;
            return h(
              'div.automation-row',
              {
                'data-testid': `scaling-policy-${id}`,
                dataset: { capacity: String(p.CurrentCapacity ?? '') },
              },
              h('strong', null, what),
              ` ${p.MinCapacity}..${p.MaxCapacity} at ${p.TargetValue} %`,
              h(
                'span.capacity',
                { 'data-testid': `scaling-capacity-${id}` },
                ` · now ${p.CurrentCapacity ?? '–'}`,
              ),
              h('span.hint', null, p.LastEvaluation ? ` · ${p.LastEvaluation}` : ''),
              h(
                'button.icon-button',
                {
                  'aria-label': `Remove the ${what} policy`,
                  'data-testid': `scaling-remove-${id}`,
                  onclick: () => void this.removePolicy(p.IndexName, p.ScalableDimension),
                },
                '×',
              ),
            );
          }),
      s.ScalingSpeed !== 1 ? h('p.hint', null, `The scaler's clock runs ×${s.ScalingSpeed}.`) : null,
    );
    clear(
      this.activitiesBox,
      s.ScalingActivities.length === 0
        ? null
        : [
            h('h4', null, 'Recent capacity changes'),
            ...s.ScalingActivities.map((a) =>
              h(
                'div.automation-activity',
                { dataset: { status: a.StatusCode } },
                `${when(a.StartTime)} · ${a.IndexName ? `GSI ${a.IndexName}` : 'table'} ${a.ScalableDimension === 'ReadCapacityUnits' ? 'read' : 'write'} ${a.FromCapacity} → ${a.ToCapacity} · ${a.StatusCode}`,
                h('span.hint', null, ` · ${a.StatusMessage ?? a.Cause}`),
              ),
            ),
          ],
    );
  }

  private renderAlarms(alarms: AlarmDescription[]): void {
    clear(
      this.alarmsBox,
      alarms.length === 0
        ? h('p.hint', null, 'No alarms.')
        : alarms.map((a) => {
            const sign = COMPARISONS.find(([op]) => op === a.ComparisonOperator)?.[1] ?? a.ComparisonOperator;
            return h(
              'div.automation-row',
              { 'data-testid': `alarm-${a.AlarmName}`, dataset: { state: a.StateValue } },
              h(
                `span.alarm-state.${a.StateValue.toLowerCase()}`,
                { 'data-testid': `alarm-state-${a.AlarmName}` },
                a.StateValue,
              ),
              h('strong', null, ` ${a.AlarmName}`),
              ` ${a.TableName ?? 'account'} ${a.MetricName}${a.Dimensions?.Operation ? `[${a.Dimensions.Operation}]` : ''} ${a.Statistic} ${sign} ${a.Threshold} · ${a.DatapointsToAlarm} of ${a.EvaluationPeriods} × ${a.Period} s`,
              h('span.hint', { title: a.StateReason }, ` · ${a.StateReason}`),
              h(
                'button.icon-button',
                {
                  'aria-label': `Remove alarm ${a.AlarmName}`,
                  'data-testid': `alarm-remove-${a.AlarmName}`,
                  onclick: () => void this.removeAlarm(a.AlarmName),
                },
                '×',
              ),
            );
          }),
    );
  }

  private async savePolicy(): Promise<void> {
    if (this.table === undefined) return;
    this.error.textContent = '';
    try {
      const out = await this.backend.scaling({
        action: 'put',
        input: {
          TableName: this.table,
          ...(this.indexSelect.value ? { IndexName: this.indexSelect.value } : {}),
          ScalableDimension: this.dimension.value,
          MinCapacity: Number(this.min.value),
          MaxCapacity: Number(this.max.value),
          TargetValue: Number(this.target.value),
        },
      });
      this.renderScaling(out);
      toast('Scaling policy set', 'ok');
    } catch (e) {
      this.error.textContent = errorText(e);
    }
  }

  private async removePolicy(index: string | undefined, dimension: string): Promise<void> {
    if (this.table === undefined) return;
    try {
      const out = await this.backend.scaling({
        action: 'delete',
        input: {
          TableName: this.table,
          ...(index ? { IndexName: index } : {}),
          ScalableDimension: dimension,
        },
      });
      this.renderScaling(out);
    } catch (e) {
      this.error.textContent = errorText(e);
    }
  }

  private async saveAlarm(): Promise<void> {
    this.error.textContent = '';
    const name = this.alarmName.value.trim();
    if (!name) {
      this.error.textContent = 'The alarm needs a name.';
      return;
    }
    const operation = this.operation.value.trim();
    try {
      await this.backend.alarms({
        action: 'put',
        input: {
          AlarmName: name,
          ...(this.table !== undefined ? { TableName: this.table } : {}),
          MetricName: this.metric.value,
          ...(operation ? { Dimensions: { Operation: operation } } : {}),
          Statistic: this.statistic.value,
          Period: Number(this.period.value),
          EvaluationPeriods: Number(this.evaluations.value),
          DatapointsToAlarm: Number(this.datapoints.value),
          ComparisonOperator: this.comparison.value,
          Threshold: Number(this.threshold.value),
          TreatMissingData: this.missing.value,
        },
      });
      toast(`Alarm ${name} saved`, 'ok');
      this.alarmName.value = '';
      await this.refresh();
    } catch (e) {
      this.error.textContent = errorText(e);
    }
  }

  private async removeAlarm(name: string): Promise<void> {
    try {
      await this.backend.alarms({ action: 'delete', input: { AlarmNames: [name] } });
      await this.refresh();
    } catch (e) {
      this.error.textContent = errorText(e);
    }
  }
}
