// The partition map of a table (or GSI) on its metrics page: the engine's partition model
// (Sortkey_20250101.DescribePartitions). A bar shows the hash space cut into partitions, each as
// wide as its share of the hash space and as red as its heat; the table lists each partition's hash
// range with sample keys, its size and its heat; below, how adaptive capacity isolates (or would
// isolate) the hottest key, and the latest splits.
import type { Item, PartitionsResult } from '../backend/api.js';
import { shortText } from '../lib/values.js';
import { clear, dataTable, formatBytes, formatCount, h } from '../ui/dom.js';
import { formatValue } from './metrics-chart.js';

function keyText(key: Item): string {
  return Object.entries(key)
    .map(([k, v]) => `${k} = ${shortText(v, 60)}`)
    .join(', ');
}

function percent(share: number): string {
  const p = share * 100;
  return p >= 10 || p === 0 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

/** A partition's colour: from calm to red as its use nears the ceiling. */
function heatColor(utilization: number): string {
  const u = Math.max(0, Math.min(1, utilization));
  return `hsl(${Math.round(210 - 210 * u)} 70% ${Math.round(88 - 38 * u)}%)`;
}

export class PartitionMapPanel {
  readonly element: HTMLElement;
  private readonly hint = h('span.hint');
  private readonly bar = h('div.partition-bar', { 'data-testid': 'partition-bar', role: 'img' });
  private readonly rows = h('div.hot-table', { 'data-testid': 'partition-rows' });
  private readonly adaptive = h('div.partition-adaptive', { 'data-testid': 'adaptive-capacity' });
  private readonly splits = h('div.hot-table', { 'data-testid': 'partition-splits' });

  constructor() {
    this.element = h(
      'section.hot-keys.partition-map',
      { 'aria-label': 'Partitions', 'data-testid': 'partition-map' },
      h('header.section-head', null, h('h2', null, 'Partitions'), this.hint),
      this.bar,
      this.rows,
      h('h3', null, 'Adaptive capacity'),
      this.adaptive,
      h('h3', null, 'Splits'),
      this.splits,
    );
  }

  /** Shown when the endpoint has no partition model (not a Sortkey server). */
  unavailable(text: string): void {
    clear(this.hint, text);
    clear(this.bar);
    clear(this.rows);
    clear(this.adaptive);
    clear(this.splits);
  }

  update(r: PartitionsResult): void {
    this.element.dataset.partitions = String(r.Partitions.length);
    clear(
      this.hint,
      `${formatCount(r.Partitions.length)} partition${r.Partitions.length === 1 ? '' : 's'} · up to ${formatBytes(
        r.PartitionSizeLimitBytes,
      )}, ${formatCount(r.PartitionReadCeiling)} RCU and ${formatCount(r.PartitionWriteCeiling)} WCU each · heat over the last ${r.HeatSeconds} s`,
      r.SizesPending ? ' · sizes being recounted' : '',
    );
    this.bar.setAttribute('aria-label', `Hash space in ${r.Partitions.length} partitions`);
    clear(
      this.bar,
      r.Partitions.map((p, i) =>
        h('div.partition-seg', {
          'data-testid': 'partition-seg',
          title: `#${i} ${p.HashRangeStart}–${p.HashRangeEnd}: ${formatCount(p.ItemCount)} items, ${formatBytes(
            p.SizeBytes,
          )}, ${percent(p.Utilization)} of its ceiling`,
          class: p.Isolated ? 'partition-seg isolated' : 'partition-seg',
          style: {
            flexGrow: String(Math.max(p.HashSpaceShare, 0.004)),
            background: heatColor(p.Utilization),
          },
        }),
      ),
    );
    clear(
      this.rows,
      dataTable(
        ['#', 'Hash range', 'Sample keys', 'Items', 'Size', 'Read/s', 'Write/s', 'Use', 'Created by'],
        r.Partitions.map((p, i) =>
          h(
            'tr.partition-row',
            {
              'data-testid': 'partition-row',
              class: p.Utilization >= 0.8 ? 'partition-row hot' : 'partition-row',
            },
            h('td.num', null, String(i)),
            h(
              'td.code',
              { title: `${percent(p.HashSpaceShare)} of the hash space` },
              `${p.HashRangeStart}–${p.HashRangeEnd}`,
            ),
            h(
              'td.code',
              null,
              p.SampleKeys.length === 0
                ? h('span.hint', null, 'empty')
                : p.SampleKeys.map(keyText).join('; '),
            ),
            h('td.num', null, formatCount(p.ItemCount)),
            h('td.num', null, formatBytes(p.SizeBytes)),
            h('td.num', null, formatValue(p.ConsumedReadCapacityUnits)),
            h('td.num', null, formatValue(p.ConsumedWriteCapacityUnits)),
            h(
              'td.num',
              null,
              h(
                'span.partition-use',
                null,
                h('span', {
                  style: {
                    width: `${Math.min(100, p.Utilization * 100)}%`,
                    background: heatColor(p.Utilization),
                  },
                }),
              ),
              ` ${percent(p.Utilization)}`,
            ),
            h('td', null, p.Isolated ? 'isolated key' : p.CreatedBy.toLowerCase()),
          ),
        ),
      ),
    );
    const ac = r.AdaptiveCapacity;
    clear(
      this.adaptive,
      ac === undefined
        ? h('p.hint', null, 'No traffic yet: the busiest key of each partition shows here.')
        : [
            h(
              'p',
              null,
              'Hottest key: ',
              h('span.code', { 'data-testid': 'adaptive-key' }, keyText(ac.Key)),
              ` on partition #${ac.Partition} (${percent(ac.Share)} of its recent traffic).`,
            ),
            h('p', { 'data-testid': 'adaptive-explanation' }, ac.Explanation),
            ac.WouldSplitInto
              ? h(
                  'p.hint',
                  null,
                  'Isolating it would split the partition into ',
                  ac.WouldSplitInto.map((x) => `${x.HashRangeStart}–${x.HashRangeEnd}`).join(', '),
                  '.',
                )
              : null,
          ],
    );
    const recent = r.Splits.slice(-10).reverse();
    clear(
      this.splits,
      recent.length === 0
        ? h(
            'p.hint',
            null,
            'None yet: partitions split for size (near the limit) and for heat (near a ceiling).',
          )
        : dataTable(
            ['When', 'Why', 'Range', 'Into', 'Key'],
            recent.map((s) =>
              h(
                'tr',
                { 'data-testid': 'partition-split' },
                h('td', null, new Date(s.Time * 1000).toLocaleTimeString()),
                h('td', null, s.Reason.toLowerCase()),
                h('td.code', null, `${s.HashRangeStart}–${s.HashRangeEnd}`),
                h('td.code', null, s.Into.join(', ')),
                h('td.code', null, s.Key ? keyText(s.Key) : ''),
              ),
            ),
          ),
    );
  }
}
