// The metrics dashboards (#/metrics: every table; #/metrics/<table>: one table or one of its GSIs):
// capacity consumed against provisioned, throttled requests, latency percentiles per operation,
// requests, item count, and the most accessed and most throttled partition keys. Polled every second
// while the page is shown (the engine's Sortkey-only GetMetrics / GetHotKeys / DescribeThrottling),
// over the last 5 minutes, 15 minutes, hour or day. The settings panel switches throttling
// simulation and fault injection.
import type {
  HotKey,
  HotKeysResult,
  MetricName,
  MetricsOverview,
  MetricsResult,
  MetricStatistic,
  StudioBackend,
  TableSummary,
  ThrottlingState,
} from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { shortText } from '../lib/values.js';
import { clear, dataTable, formatBytes, formatCount, h } from '../ui/dom.js';
import { formatValue, PALETTE, TimeChart } from './metrics-chart.js';
import type { ChartSeries } from './metrics-chart.js';
import { ThrottleSettings } from './metrics-settings.js';
import { AutomationPanel } from './metrics-automation.js';
import { PartitionMapPanel } from './partition-map.js';

export interface TimeRange {
  id: string;
  label: string;
  seconds: number;
  /** Seconds per datapoint. */
  period: number;
}

export const RANGES: readonly TimeRange[] = [
  { id: '5m', label: '5 min', seconds: 300, period: 1 },
  { id: '15m', label: '15 min', seconds: 900, period: 5 },
  { id: '1h', label: '1 h', seconds: 3600, period: 15 },
  { id: '24h', label: '24 h', seconds: 86_400, period: 300 },
];

/**
 * The request window of a range at `nowMs`: periods aligned on multiples of the period (so the
 * minute aggregates of a day line up), the last one holding now. With one-second periods the
 * current (unfinished) second is fetched but not plotted as a rate.
 */
export function timeWindow(
  range: TimeRange,
  nowMs: number,
): { startTime: number; endTime: number; period: number } {
  const now = nowMs / 1000;
  const p = range.period;
  const endTime = (Math.floor(now / p) + 1) * p;
  return { startTime: endTime - range.seconds - (p === 1 ? 1 : 0), endTime, period: p };
}

/** Operations of the data plane: the default choice for the latency chart. */
const DATA_PLANE = new Set([
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
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

type Values = (number | null)[];

/** One statistic of a metric, summed over its dimensions (operations), or undefined when absent. */
function statOf(
  m: MetricsResult,
  name: MetricName,
  stat: MetricStatistic,
  operation?: string,
): Values | undefined {
  let out: Values | undefined;
  for (const s of m.Metrics) {
    if (s.MetricName !== name || (operation !== undefined && s.Operation !== operation)) continue;
    const v = s.Statistics[stat];
    if (!v) continue;
    if (!out) out = v.slice();
    else out = out.map((x, i) => (x === null && v[i] === null ? null : (x ?? 0) + (v[i] ?? 0)));
  }
  return out;
}

function sum(values: readonly (number | null)[]): number {
  let s = 0;
  for (const v of values) s += v ?? 0;
  return s;
}

function keyText(key: HotKey['Key']): string {
  return Object.entries(key)
    .map(([k, v]) => `${k} = ${shortText(v, 80)}`)
    .join(', ');
}

export class MetricsView {
  readonly element: HTMLElement;
  private readonly titleEl = h('h1', { 'data-testid': 'metrics-title' });
  private readonly scopeSelect: HTMLSelectElement;
  private readonly indexSelect: HTMLSelectElement;
  private readonly rangeBox = h('div.segmented', { role: 'group', 'aria-label': 'Time range' });
  private readonly liveButton: HTMLButtonElement;
  private readonly statusLine = h('span.metrics-status', { 'data-testid': 'metrics-status' });
  private readonly body = h('div.metrics-body');
  private readonly settings: ThrottleSettings;
  private readonly automation: AutomationPanel;
  private charts: TimeChart[] = [];
  private table: string | undefined;
  private index: string | undefined;
  private range: TimeRange = RANGES[0]!;
  private live = true;
  private active = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private latencyOp: string | undefined;
  private readonly itemHistory = new Map<number, number>();
  private polls = 0;
  // Widgets of the current scope.
  /** The partition map of the table (or GSI) shown. */
  private partitionPanel: PartitionMapPanel | undefined;
  private tableWidgets:
    | {
        read: TimeChart;
        write: TimeChart;
        throttled: TimeChart;
        latency: TimeChart;
        requests: TimeChart;
        items: TimeChart;
        replication: TimeChart;
        opSelect: HTMLSelectElement;
        hotAccessed: HTMLElement;
        hotThrottled: HTMLElement;
        hotWindow: HTMLElement;
      }
    | undefined;
  private overviewWidgets:
    | { read: TimeChart; write: TimeChart; throttled: TimeChart; latency: TimeChart; rows: HTMLElement }
    | undefined;

  constructor(
    private readonly backend: StudioBackend,
    private readonly callbacks: { tables(): TableSummary[] },
  ) {
    this.scopeSelect = h('select', {
      'aria-label': 'Dashboard',
      'data-testid': 'metrics-scope',
      onchange: () => {
        const v = this.scopeSelect.value;
        location.hash = v ? `#/metrics/${encodeURIComponent(v)}` : '#/metrics';
      },
    });
    this.indexSelect = h('select', {
      'aria-label': 'Index',
      'data-testid': 'metrics-index',
      onchange: () => {
        this.index = this.indexSelect.value || undefined;
        this.rebuild();
      },
    });
    for (const r of RANGES) {
      this.rangeBox.append(
        h(
          'button.segment',
          {
            dataset: { range: r.id },
            'data-testid': `range-${r.id}`,
            onclick: () => {
              this.range = r;
              this.renderRange();
              this.itemHistory.clear();
              this.restart();
            },
          },
          r.label,
        ),
      );
    }
    this.liveButton = h(
      'button.small.live',
      {
        'data-testid': 'metrics-live',
        title: 'Pause or resume the updates (every second)',
        onclick: () => {
          this.live = !this.live;
          this.renderLive();
          this.restart();
        },
      },
      '',
    );
    this.settings = new ThrottleSettings(backend, () => this.restart());
    this.automation = new AutomationPanel(backend);
    this.element = h(
      'div.metrics-page',
      { 'data-testid': 'metrics-page' },
      h(
        'header.metrics-header',
        null,
        this.titleEl,
        this.scopeSelect,
        this.indexSelect,
        this.rangeBox,
        this.liveButton,
        this.statusLine,
      ),
      this.settings.element,
      this.body,
      this.automation.element,
    );
    this.renderRange();
    this.renderLive();
  }

  /** Shows the overview (no table) or one table's dashboard. */
  show(table: string | undefined): void {
    const built = table === undefined ? this.overviewWidgets : this.tableWidgets;
    if (table !== this.table || !built) {
      this.table = table;
      this.index = undefined;
      this.latencyOp = undefined;
      this.itemHistory.clear();
      this.rebuild();
    } else {
      this.renderScopes();
      this.restart();
    }
  }

  shown(): void {
    this.active = true;
    this.restart();
  }

  hide(): void {
    this.active = false;
    clearTimeout(this.timer);
    this.generation++;
  }

  private renderRange(): void {
    for (const b of this.rangeBox.querySelectorAll<HTMLElement>('.segment'))
      b.classList.toggle('active', b.dataset.range === this.range.id);
  }

  private renderLive(): void {
    this.liveButton.textContent = this.live ? '● Live' : '❚❚ Paused';
    this.liveButton.classList.toggle('paused', !this.live);
  }

  private renderScopes(): void {
    const tables = this.callbacks.tables();
    clear(
      this.scopeSelect,
      h('option', { value: '', selected: this.table === undefined }, 'All tables'),
      tables.map((t) => h('option', { value: t.name, selected: t.name === this.table }, t.name)),
      this.table !== undefined && !tables.some((t) => t.name === this.table)
        ? h('option', { value: this.table, selected: true }, this.table)
        : null,
    );
    const summary = tables.find((t) => t.name === this.table);
    const gsis = summary?.indexes.filter((i) => i.kind === 'GSI') ?? [];
    this.indexSelect.hidden = this.table === undefined || gsis.length === 0;
    clear(
      this.indexSelect,
      h('option', { value: '', selected: this.index === undefined }, 'Table'),
      gsis.map((i) => h('option', { value: i.name, selected: i.name === this.index }, `GSI ${i.name}`)),
    );
    this.titleEl.textContent = this.table === undefined ? 'Metrics · all tables' : `Metrics · ${this.table}`;
    this.settings.setTable(this.table);
    this.automation.setTable(this.table, summary);
  }

  private rebuild(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.tableWidgets = undefined;
    this.overviewWidgets = undefined;
    this.partitionPanel = undefined;
    this.renderScopes();
    if (this.table === undefined) this.buildOverview();
    else this.buildTable();
    this.restart();
  }

  private chart(title: string, testId: string, unit = ''): TimeChart {
    const c = new TimeChart(title, testId, unit);
    this.charts.push(c);
    return c;
  }

  private buildTable(): void {
    const read = this.chart('Read capacity (RCU/s)', 'chart-read', 'RCU/s');
    const write = this.chart('Write capacity (WCU/s)', 'chart-write', 'WCU/s');
    const throttled = this.chart('Throttled requests (per period)', 'chart-throttled');
    const latency = this.chart('Latency (ms)', 'chart-latency', 'ms');
    const requests = this.chart('Requests by operation (per s)', 'chart-requests', '/s');
    const items = this.chart('Item count', 'chart-items');
    // Global tables only: shown once the table has replicas (ReplicationLatency per receiving region).
    const replication = this.chart('Replication latency by replica (ms)', 'chart-replication', 'ms');
    replication.element.hidden = true;
    const opSelect = h('select.small', {
      'aria-label': 'Operation',
      'data-testid': 'latency-op',
      onchange: () => {
        this.latencyOp = opSelect.value;
        this.restart();
      },
    });
    latency.setTools(opSelect);
    const hotAccessed = h('div.hot-table', { 'data-testid': 'hot-accessed' });
    const hotThrottled = h('div.hot-table', { 'data-testid': 'hot-throttled' });
    const hotWindow = h('span.hint');
    this.partitionPanel = new PartitionMapPanel();
    this.tableWidgets = {
      read,
      write,
      throttled,
      latency,
      requests,
      items,
      replication,
      opSelect,
      hotAccessed,
      hotThrottled,
      hotWindow,
    };
    clear(
      this.body,
      h(
        'div.chart-grid',
        null,
        [read, write, throttled, latency, requests, items, replication].map((c) => c.element),
      ),
      h(
        'section.hot-keys',
        { 'aria-label': 'Hot keys' },
        h('header.section-head', null, h('h2', null, 'Hot partition keys'), hotWindow),
        h(
          'div.hot-grid',
          null,
          h('div', null, h('h3', null, 'Most accessed'), hotAccessed),
          h('div', null, h('h3', null, 'Most throttled'), hotThrottled),
        ),
      ),
      this.partitionPanel.element,
    );
  }

  private buildOverview(): void {
    const read = this.chart('Consumed read capacity by table (RCU/s)', 'chart-read', 'RCU/s');
    const write = this.chart('Consumed write capacity by table (WCU/s)', 'chart-write', 'WCU/s');
    const throttled = this.chart('Throttled requests by table (per period)', 'chart-throttled');
    const latency = this.chart('Latency p99 by operation (ms)', 'chart-latency', 'ms');
    const rows = h('div.overview-tables', { 'data-testid': 'overview-tables' });
    this.overviewWidgets = { read, write, throttled, latency, rows };
    clear(
      this.body,
      h(
        'div.chart-grid',
        null,
        [read, write, throttled, latency].map((c) => c.element),
      ),
      h(
        'section.hot-keys',
        { 'aria-label': 'Tables' },
        h(
          'header.section-head',
          null,
          h('h2', null, 'Tables'),
          h('span.hint', null, 'over the selected range'),
        ),
        rows,
      ),
    );
  }

  private restart(): void {
    clearTimeout(this.timer);
    this.generation++;
    if (!this.active) return;
    void this.tick(this.generation);
  }

  private async tick(generation: number): Promise<void> {
    const started = Date.now();
    await this.poll(generation);
    if (generation !== this.generation || !this.active || !this.live) return;
    this.timer = setTimeout(() => void this.tick(generation), Math.max(100, 1000 - (Date.now() - started)));
  }

  private async poll(generation: number): Promise<void> {
    const w = timeWindow(this.range, Date.now());
    // Policies and alarms change slowly and have their own errors line: not awaited with the charts.
    void this.automation.refresh();
    try {
      if (this.table !== undefined) {
        const table = this.table;
        const index = this.index;
        const [m, hot, thr] = await Promise.all([
          this.backend.getMetrics({ table, ...(index ? { index } : {}), ...w }),
          this.backend.getHotKeys({
            table,
            ...(index ? { index } : {}),
            windowSeconds: Math.min(3600, this.range.seconds),
            limit: 10,
          }),
          this.backend.describeThrottling({}),
        ]);
        // The partition map is an extra: an endpoint without it still has metrics.
        const partitions = await this.backend
          .describePartitions({ table, ...(index ? { index } : {}) })
          .catch((e: unknown) => e as Error);
        if (generation !== this.generation) return;
        this.renderTable(m, hot, thr);
        if (partitions instanceof Error) this.partitionPanel?.unavailable(errorText(partitions));
        else this.partitionPanel?.update(partitions);
      } else {
        const [m, overview, thr] = await Promise.all([
          this.backend.getMetrics({ ...w, metrics: ['SuccessfulRequestLatency'] }),
          this.backend.metricsOverview(w),
          this.backend.describeThrottling({}),
        ]);
        if (generation !== this.generation) return;
        this.renderOverview(m, overview, thr);
      }
      this.polls++;
      this.element.dataset.polls = String(this.polls);
      clear(
        this.statusLine,
        this.live ? `Updated ${new Date().toLocaleTimeString()}` : 'Paused',
        ` · ${this.range.period} s per point`,
      );
    } catch (e) {
      if (generation !== this.generation) return;
      clear(this.statusLine, h('span.error-text', null, errorText(e)));
    }
  }

  /** x values and how many trailing datapoints to leave out (the unfinished second). */
  private axis(m: { Timestamps: number[]; Period: number }): { x: number[]; trim: number } {
    const trim = m.Period === 1 && m.Timestamps.length > 1 ? 1 : 0;
    return { x: m.Timestamps.slice(0, m.Timestamps.length - trim), trim };
  }

  /** Units per second from per-period sums; the last (unfinished) period divides by its elapsed time. */
  private rate(sums: Values | undefined, m: { Timestamps: number[]; Period: number }, trim: number): Values {
    const n = m.Timestamps.length - trim;
    const out: Values = new Array<number | null>(n).fill(0);
    if (!sums) return out;
    const now = Date.now() / 1000;
    for (let i = 0; i < n; i++) {
      const elapsed = Math.min(m.Period, Math.max(1, now - m.Timestamps[i]!));
      out[i] = (sums[i] ?? 0) / (i === n - 1 && trim === 0 ? elapsed : m.Period);
    }
    return out;
  }

  private renderTable(m: MetricsResult, hot: HotKeysResult, thr: ThrottlingState): void {
    const w = this.tableWidgets;
    if (!w) return;
    this.settings.update(thr);
    const { x, trim } = this.axis(m);
    const n = x.length;
    const cut = (v: Values | undefined): Values => (v ?? new Array<number | null>(n).fill(null)).slice(0, n);

    for (const [chart, consumed, provisioned, color] of [
      [w.read, 'ConsumedReadCapacityUnits', 'ProvisionedReadCapacityUnits', '#2563eb'],
      [w.write, 'ConsumedWriteCapacityUnits', 'ProvisionedWriteCapacityUnits', '#d97706'],
    ] as const) {
      const used = this.rate(statOf(m, consumed, 'Sum'), m, trim);
      const prov = cut(statOf(m, provisioned, 'Maximum'));
      const hasProv = prov.some((v) => v !== null);
      const series: ChartSeries[] = [{ label: 'Consumed', color, fill: true }];
      const ys: Values[] = [used];
      if (hasProv) {
        series.push({ label: 'Provisioned', color: '#dc2626', dash: [6, 4], spanGaps: true });
        ys.push(prov);
      }
      chart.update(series, x, ys);
      chart.setNote(hasProv ? '' : 'On-demand (or no provisioned capacity): nothing to compare with.');
    }

    w.throttled.update(
      [
        { label: 'Read throttle events', color: '#2563eb' },
        { label: 'Write throttle events', color: '#d97706' },
        { label: 'Throttled requests', color: '#dc2626', fill: true },
      ],
      x,
      [
        cut(statOf(m, 'ReadThrottleEvents', 'Sum')),
        cut(statOf(m, 'WriteThrottleEvents', 'Sum')),
        cut(statOf(m, 'ThrottledRequests', 'Sum')),
      ],
    );

    const replicas = m.Metrics.filter((s) => s.MetricName === 'ReplicationLatency' && s.ReceivingRegion);
    w.replication.element.hidden = replicas.length === 0;
    if (replicas.length > 0) {
      const colors = ['#7c3aed', '#0891b2', '#db2777', '#65a30d'];
      w.replication.update(
        replicas.map((s, i) => ({
          label: s.ReceivingRegion!,
          color: colors[i % colors.length]!,
          spanGaps: true,
        })),
        x,
        replicas.map((s) => cut(s.Statistics.Average)),
      );
    }

    // Latency per operation: the picker lists the operations seen, busiest first.
    const ops = m.Metrics.filter((s) => s.MetricName === 'SuccessfulRequestLatency' && s.Operation)
      .map((s) => ({ op: s.Operation!, count: sum(s.Statistics.SampleCount ?? []) }))
      .sort((a, b) => b.count - a.count);
    if (!this.latencyOp || !ops.some((o) => o.op === this.latencyOp))
      this.latencyOp = (ops.find((o) => DATA_PLANE.has(o.op)) ?? ops[0])?.op;
    const opsKey = ops.map((o) => o.op).join(',');
    if (w.opSelect.dataset.ops !== opsKey || w.opSelect.value !== (this.latencyOp ?? '')) {
      w.opSelect.dataset.ops = opsKey;
      clear(
        w.opSelect,
        ops.length === 0 ? h('option', { value: '' }, 'no requests') : null,
        ops.map((o) => h('option', { value: o.op, selected: o.op === this.latencyOp }, o.op)),
      );
    }
    const op = this.latencyOp;
    w.latency.update(
      [
        { label: 'p50', color: '#059669' },
        { label: 'p90', color: '#d97706' },
        { label: 'p99', color: '#dc2626' },
      ],
      x,
      op
        ? [
            cut(statOf(m, 'SuccessfulRequestLatency', 'p50', op)),
            cut(statOf(m, 'SuccessfulRequestLatency', 'p90', op)),
            cut(statOf(m, 'SuccessfulRequestLatency', 'p99', op)),
          ]
        : [cut(undefined), cut(undefined), cut(undefined)],
    );
    w.latency.setNote(this.index ? 'Latency and requests are per table, not per index.' : '');

    const top = ops.slice(0, 8);
    w.requests.update(
      top.map((o, i) => ({ label: o.op, color: PALETTE[i % PALETTE.length]! })),
      x,
      top.map((o) => this.rate(statOf(m, 'SuccessfulRequestLatency', 'SampleCount', o.op), m, trim)),
    );

    // Item count: a gauge sampled per minute on disk (the minute's last value, reported at the
    // minute's start: drawn at its end here) and live for the period holding now; the values this
    // page saw fill the seconds in between.
    const counts = statOf(m, 'ItemCount', 'Maximum') ?? [];
    const live = [...counts].reverse().find((v) => v !== null);
    if (live !== undefined && live !== null) this.itemHistory.set(x[n - 1] ?? 0, live);
    const items: Values = new Array<number | null>(n).fill(null);
    const shift = m.Period < 60 ? Math.round(60 / m.Period) - 1 : 0;
    for (let k = 0; k < counts.length; k++) {
      const v = counts[k];
      if (v === null || v === undefined) continue;
      const at = Math.min(n - 1, k === counts.length - 1 ? k : k + shift);
      if (at >= 0) items[at] = v;
    }
    for (let i = 0; i < n; i++) {
      const seen = this.itemHistory.get(x[i]!);
      if (seen !== undefined) items[i] = seen;
    }
    w.items.update([{ label: 'Items', color: '#7c3aed', spanGaps: true, fill: true }], x, [items]);

    clear(w.hotWindow, `last ${Math.round((hot.EndTime - hot.StartTime) / 60)} min, in 10-second slots`);
    this.renderHotKeys(w.hotAccessed, hot.MostAccessed, 'No requests in this window.');
    this.renderHotKeys(w.hotThrottled, hot.MostThrottled, 'Nothing throttled in this window.');
  }

  private renderHotKeys(box: HTMLElement, keys: HotKey[], empty: string): void {
    clear(
      box,
      keys.length === 0
        ? h('p.hint', null, empty)
        : dataTable(
            ['Partition key', 'Requests', 'Reads', 'Writes', 'RCU', 'WCU', 'Throttled'],
            keys.map((k) =>
              h(
                'tr.hot-row',
                null,
                h('td.code', { title: keyText(k.Key) }, keyText(k.Key)),
                h(
                  'td.num',
                  { title: k.MaxOvercount ? `may be overcounted by up to ${k.MaxOvercount}` : 'exact' },
                  formatCount(k.Count),
                  k.MaxOvercount ? h('span.hint', null, ` ±${k.MaxOvercount}`) : null,
                ),
                h('td.num', null, formatCount(k.Reads)),
                h('td.num', null, formatCount(k.Writes)),
                h('td.num', null, formatValue(k.ConsumedReadCapacityUnits)),
                h('td.num', null, formatValue(k.ConsumedWriteCapacityUnits)),
                h(
                  'td.num',
                  { class: k.ThrottledRequests ? 'num error-text' : 'num' },
                  formatCount(k.ThrottledRequests),
                ),
              ),
            ),
          ),
    );
  }

  private renderOverview(m: MetricsResult, overview: MetricsOverview, thr: ThrottlingState): void {
    const w = this.overviewWidgets;
    if (!w) return;
    this.settings.update(thr);
    const { x, trim } = this.axis(overview);
    const n = x.length;
    const tables = overview.tables;
    const colors = tables.map((_, i) => PALETTE[i % PALETTE.length]!);
    w.read.update(
      tables.map((t, i) => ({ label: t.table, color: colors[i]! })),
      x,
      tables.map((t) => this.rate(t.read, overview, trim)),
    );
    w.write.update(
      tables.map((t, i) => ({ label: t.table, color: colors[i]! })),
      x,
      tables.map((t) => this.rate(t.write, overview, trim)),
    );
    w.throttled.update(
      tables.map((t, i) => ({ label: t.table, color: colors[i]! })),
      x,
      tables.map((t) => t.throttled.slice(0, n)),
    );
    const ops = m.Metrics.filter(
      (s) => s.MetricName === 'SuccessfulRequestLatency' && s.Operation && DATA_PLANE.has(s.Operation),
    )
      .map((s) => ({
        op: s.Operation!,
        count: sum(s.Statistics.SampleCount ?? []),
        p99: s.Statistics.p99 ?? [],
      }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 8);
    const lx = this.axis(m);
    w.latency.update(
      ops.map((o, i) => ({ label: o.op, color: PALETTE[i % PALETTE.length]! })),
      lx.x,
      ops.map((o) => o.p99.slice(0, lx.x.length)),
    );
    w.latency.setNote(ops.length === 0 ? 'No data-plane requests in this range.' : '');

    const seconds = Math.max(1, n * overview.Period);
    clear(
      w.rows,
      tables.length === 0
        ? h('p.hint', null, 'No tables yet.')
        : dataTable(
            [
              'Table',
              'Items',
              'Size',
              'Capacity',
              'Read RCU/s',
              'Write WCU/s',
              'Throttled',
              'Requests',
              'Mean latency',
            ],
            tables.map((t) => {
              const read = sum(t.read.slice(0, n)) / seconds;
              const write = sum(t.write.slice(0, n)) / seconds;
              const throttled = sum(t.throttled.slice(0, n));
              return h(
                'tr.overview-row',
                { dataset: { table: t.table }, 'data-testid': 'overview-row' },
                h('td', null, h('a', { href: `#/metrics/${encodeURIComponent(t.table)}` }, t.table)),
                h('td.num', null, formatCount(t.itemCount)),
                h('td.num', null, formatBytes(t.sizeBytes)),
                h(
                  'td',
                  null,
                  t.billingMode === 'PROVISIONED'
                    ? `${t.provisionedRead ?? 0} RCU · ${t.provisionedWrite ?? 0} WCU`
                    : 'on-demand',
                ),
                h('td.num', { dataset: { metric: 'read' } }, formatValue(read)),
                h('td.num', { dataset: { metric: 'write' } }, formatValue(write)),
                h('td.num', { class: throttled ? 'num error-text' : 'num' }, formatCount(throttled)),
                h('td.num', null, formatCount(sum(t.requests.slice(0, n)))),
                h('td.num', null, t.meanLatencyMs === null ? '–' : formatValue(t.meanLatencyMs, 'ms')),
              );
            }),
          ),
    );
  }
}
