// One time-series chart of the metrics dashboards: a card with a title and a uPlot chart (canvas,
// columnar data, made for many points and live updates). After each update the card carries the
// last value and the sum of every series in data attributes (data-last, data-sums, data-last-x,
// data-updates), which the
// e2e tests read instead of pixels.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../ui/dom.js';
import { currentTheme } from '../ui/theme.js';

export interface ChartSeries {
  label: string;
  color: string;
  dash?: number[];
  /** Fill the area under the line (lightly). */
  fill?: boolean;
  /** Draw across missing datapoints (gauges sampled sparsely, such as item count). */
  spanGaps?: boolean;
}

/** Colours for series without a fixed meaning (tables, operations). */
export const PALETTE = [
  '#2563eb',
  '#d97706',
  '#059669',
  '#db2777',
  '#7c3aed',
  '#0891b2',
  '#65a30d',
  '#dc2626',
  '#4b5563',
  '#ea580c',
];

export function formatValue(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const abs = Math.abs(v);
  let s: string;
  if (abs >= 1e9) s = `${(v / 1e9).toFixed(1)}G`;
  else if (abs >= 1e6) s = `${(v / 1e6).toFixed(1)}M`;
  else if (abs >= 1e4) s = `${(v / 1e3).toFixed(1)}k`;
  else if (abs >= 100 || Number.isInteger(v)) s = String(Math.round(v));
  else if (abs >= 1) s = v.toFixed(1);
  else s = v.toFixed(abs >= 0.01 ? 2 : 3);
  return unit ? `${s} ${unit}` : s;
}

function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export class TimeChart {
  readonly element: HTMLElement;
  private readonly host = h('div.chart-host');
  private readonly tools = h('div.chart-tools');
  private readonly emptyNote = h('div.chart-empty', { hidden: true });
  private plot: uPlot | undefined;
  private series: ChartSeries[] = [];
  private signature = '';
  private data: uPlot.AlignedData = [[]];
  private updates = 0;
  private hovering = false;
  private readonly observer: ResizeObserver;

  constructor(
    title: string,
    testId: string,
    private readonly unit = '',
    private readonly height = 190,
  ) {
    this.element = h(
      'section.chart-card',
      { 'data-testid': testId },
      h('header.chart-head', null, h('h3', null, title), this.tools),
      this.host,
      this.emptyNote,
    );
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.host);
    // Away from the cursor, the legend shows the newest values.
    this.host.addEventListener('mouseenter', () => (this.hovering = true));
    this.host.addEventListener('mouseleave', () => {
      this.hovering = false;
      setTimeout(() => this.showLatest(), 0);
    });
  }

  private showLatest(): void {
    const n = (this.data[0] as ArrayLike<number>).length;
    if (this.plot && !this.hovering && n > 0) this.plot.setLegend({ idx: n - 1 });
  }

  /** Controls shown in the card's header (e.g. an operation picker). */
  setTools(...nodes: Node[]): void {
    this.tools.replaceChildren(...nodes);
  }

  /** A note shown under the chart (e.g. why a series is absent). */
  setNote(text: string): void {
    this.emptyNote.textContent = text;
    this.emptyNote.hidden = text === '';
  }

  /** Shows `ys[i]` as `series[i]` over the timestamps `x` (epoch seconds). */
  update(series: ChartSeries[], x: number[], ys: (number | null)[][]): void {
    const signature = JSON.stringify(series);
    this.data = [x, ...ys] as uPlot.AlignedData;
    if (signature !== this.signature || !this.plot) {
      this.signature = signature;
      this.series = series;
      this.create();
    } else {
      this.plot.setData(this.data);
    }
    this.showLatest();
    this.updates++;
    const last: Record<string, number | null> = {};
    const sums: Record<string, number> = {};
    series.forEach((s, i) => {
      const values = ys[i] ?? [];
      sums[s.label] = Math.round(values.reduce<number>((a, v) => a + (v ?? 0), 0) * 1000) / 1000;
      let v: number | null = null;
      for (let k = values.length - 1; k >= 0; k--) {
        if (values[k] !== null && values[k] !== undefined) {
          v = values[k]!;
          break;
        }
      }
      last[s.label] = v === null ? null : Math.round(v * 1000) / 1000;
    });
    this.element.dataset.last = JSON.stringify(last);
    this.element.dataset.sums = JSON.stringify(sums);
    this.element.dataset.lastX = String(x[x.length - 1] ?? '');
    this.element.dataset.updates = String(this.updates);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.host.clientWidth || 480), height: this.height };
  }

  private create(): void {
    this.plot?.destroy();
    const unit = this.unit;
    const dark = currentTheme() === 'dark';
    const gridColour = dark ? '#1f2a3d' : '#f1f5f9';
    const tickColour = dark ? '#2b3648' : '#e5e7eb';
    const opts: uPlot.Options = {
      ...this.size(),
      padding: [8, 12, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      legend: { live: true },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.12 : 1] },
      },
      axes: [
        {
          stroke: dark ? '#9ca3af' : '#6b7280',
          grid: { stroke: gridColour },
          ticks: { stroke: tickColour },
          font: '11px system-ui',
        },
        {
          stroke: dark ? '#9ca3af' : '#6b7280',
          grid: { stroke: gridColour },
          ticks: { show: false },
          font: '11px system-ui',
          size: 48,
          values: (_u, splits) => splits.map((v) => formatValue(v)),
        },
      ],
      series: [
        {},
        ...this.series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: 1.6,
          ...(s.dash ? { dash: s.dash } : {}),
          ...(s.fill ? { fill: withAlpha(s.color, 0.08) } : {}),
          spanGaps: s.spanGaps ?? false,
          points: { show: false },
          value: (_u, v) => formatValue(v, unit),
        })),
      ],
    };
    this.plot = new uPlot(opts, this.data, this.host);
  }

  private resize(): void {
    if (!this.plot || !this.host.isConnected) return;
    const size = this.size();
    if (size.width !== this.plot.width) this.plot.setSize(size);
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }
}
