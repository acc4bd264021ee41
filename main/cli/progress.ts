// A one-line progress bar on stderr for imports and exports: items, items/s, bytes, ETA. Drawn only
// on a terminal (and not with --quiet); redrawn at most ten times a second.
import pc from 'picocolors';
import type { Progress } from '../../engine/dump/index.js';

const BAR_WIDTH = 24;

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1_000_000) return `${(perSecond / 1_000_000).toFixed(1)}M/s`;
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  return `${Math.round(perSecond)}/s`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

const LABELS: Record<Progress['phase'], string> = { read: 'reading', write: 'writing', export: 'exporting' };

export class ProgressBar {
  private phase: Progress['phase'] | undefined;
  private phaseStart = 0;
  private drawn = false;
  private lastWidth = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    readonly enabled: boolean = stream.isTTY === true,
  ) {}

  /** The listener to hand to the dump API. */
  readonly update = (p: Progress): void => {
    if (!this.enabled) return;
    const now = Date.now();
    if (p.phase !== this.phase) {
      this.phase = p.phase;
      this.phaseStart = now;
    }
    this.draw(this.render(p, (now - this.phaseStart) / 1000));
  };

  render(p: Progress, elapsed: number): string {
    let fraction: number | undefined;
    let eta: number | undefined;
    const itemRate = elapsed > 0 ? p.items / elapsed : 0;
    if (p.totalBytes && p.phase === 'read') {
      fraction = Math.min(1, p.bytes / p.totalBytes);
      const byteRate = elapsed > 0 ? p.bytes / elapsed : 0;
      eta = byteRate > 0 ? (p.totalBytes - p.bytes) / byteRate : undefined;
    } else if (p.totalItems) {
      fraction = Math.min(1, p.items / p.totalItems);
      eta = itemRate > 0 ? (p.totalItems - p.items) / itemRate : undefined;
    }
    const parts: string[] = [pc.bold(LABELS[p.phase].padEnd(9))];
    if (fraction !== undefined) {
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(
        pc.cyan('█'.repeat(filled)) + pc.dim('░'.repeat(BAR_WIDTH - filled)),
        `${Math.floor(fraction * 100)}%`.padStart(4),
      );
    }
    parts.push(`${formatCount(p.items)} items`, formatRate(itemRate), formatBytes(p.bytes));
    if (p.rejected > 0) parts.push(pc.yellow(`${formatCount(p.rejected)} bad`));
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    if (p.table) parts.push(pc.dim(p.table));
    return parts.join('  ');
  }

  private draw(line: string): void {
    const width = this.stream.columns ?? 120;
    // Strip colour codes to measure what shows.
    // eslint-disable-next-line no-control-regex
    const visible = line.replace(/\x1b\[[0-9;]*m/g, '');
    const text = visible.length > width - 1 ? visible.slice(0, width - 1) : line;
    const shown = visible.length > width - 1 ? width - 1 : visible.length;
    this.stream.write('\r' + text + ' '.repeat(Math.max(0, this.lastWidth - shown)));
    this.lastWidth = shown;
    this.drawn = true;
  }

  /** Clears the bar (before the summary is printed). */
  done(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write('\r' + ' '.repeat(this.lastWidth) + '\r');
    this.drawn = false;
    this.lastWidth = 0;
  }
}
