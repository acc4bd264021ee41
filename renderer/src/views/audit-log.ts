// The audit log page (#/audit): the newest records of the endpoint's audit log
// (`sortkey serve --audit FILE`), filtered by table, operation, outcome, access key, time and text,
// refreshed every two seconds while live. A row opens to show the whole CloudTrail record.
import type { StudioBackend, TableSummary } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import type { AuditReadRequest, AuditRecordView } from '../backend/workbench-api.js';
import { clear, countOf, dataTable, h } from '../ui/dom.js';

/** How often a live page asks for new records (ms). */
const POLL_MS = 2000;

const SINCE = [
  { id: '', label: 'Any time', ms: 0 },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
] as const;

/** The tables a record is about (from its resources' ARNs). */
export function recordTables(r: AuditRecordView): string[] {
  const out = new Set<string>();
  for (const res of r.resources ?? []) {
    const m = /:table\/([^/]+)/.exec(res.ARN);
    if (m) out.add(m[1]!);
  }
  return [...out];
}

/** The key, statement or item names a record shows in its row. */
export function recordSubject(r: AuditRecordView): string {
  const p = r.requestParameters;
  if (!p) return '';
  if (p.key && typeof p.key === 'object')
    return Object.entries(p.key as Record<string, unknown>)
      .map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)}`)
      .join(', ');
  if (typeof p.statement === 'string') return p.statement;
  if (typeof p.keyConditionExpression === 'string') return p.keyConditionExpression;
  if (Array.isArray(p.item)) return `item: ${p.item.join(', ')}`;
  return '';
}

export class AuditLogView {
  readonly element: HTMLElement;
  private readonly statusLine = h('span.metrics-status', { 'data-testid': 'audit-status' });
  private readonly error = h('div.form-error', { role: 'alert', 'data-testid': 'audit-error' });
  private readonly body = h('div.metrics-body', { 'data-testid': 'audit-records' });
  private readonly tableSelect: HTMLSelectElement;
  private readonly eventInput: HTMLInputElement;
  private readonly outcomeSelect: HTMLSelectElement;
  private readonly keyInput: HTMLInputElement;
  private readonly sinceSelect: HTMLSelectElement;
  private readonly textInput: HTMLInputElement;
  private readonly liveButton: HTMLButtonElement;
  private live = true;
  private active = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  /** The record whose details are open (by event id), kept open across refreshes. */
  private open: string | undefined;
  private signature = '';

  constructor(
    private readonly backend: StudioBackend,
    private readonly callbacks: { tables(): TableSummary[] },
  ) {
    const refresh = (): void => this.restart();
    this.tableSelect = h('select', {
      'aria-label': 'Table',
      'data-testid': 'audit-table',
      onchange: refresh,
    });
    this.eventInput = h('input', {
      type: 'text',
      placeholder: 'operations, e.g. PutItem,Query',
      'aria-label': 'Operations',
      'data-testid': 'audit-event',
      onchange: refresh,
    });
    this.outcomeSelect = h(
      'select',
      { 'aria-label': 'Outcome', 'data-testid': 'audit-outcome', onchange: refresh },
      h('option', { value: '' }, 'All outcomes'),
      h('option', { value: 'any' }, 'Errors'),
      h('option', { value: 'none' }, 'Successes'),
    );
    this.keyInput = h('input', {
      type: 'text',
      placeholder: 'access key id',
      'aria-label': 'Access key',
      'data-testid': 'audit-key',
      onchange: refresh,
    });
    this.sinceSelect = h(
      'select',
      { 'aria-label': 'Time', 'data-testid': 'audit-since', onchange: refresh },
      SINCE.map((s) => h('option', { value: s.id }, s.label)),
    );
    this.textInput = h('input', {
      type: 'search',
      placeholder: 'text (error, key, request id…)',
      'aria-label': 'Text',
      'data-testid': 'audit-text',
      onchange: refresh,
    });
    this.liveButton = h('button.small.live', {
      'data-testid': 'audit-live',
      title: 'Pause or resume the updates (every two seconds)',
      onclick: () => {
        this.live = !this.live;
        this.renderLive();
        this.restart();
      },
    });
    this.element = h(
      'div.metrics-page.audit-page',
      { 'data-testid': 'audit-page' },
      h(
        'header.metrics-header',
        null,
        h('h1', null, 'Audit log'),
        this.tableSelect,
        this.eventInput,
        this.outcomeSelect,
        this.keyInput,
        this.sinceSelect,
        this.textInput,
        this.liveButton,
        this.statusLine,
      ),
      this.error,
      this.body,
    );
    this.renderLive();
  }

  shown(): void {
    this.active = true;
    this.renderTables();
    this.restart();
  }

  hide(): void {
    this.active = false;
    clearTimeout(this.timer);
    this.generation++;
  }

  private renderLive(): void {
    this.liveButton.textContent = this.live ? '● Live' : 'Paused';
    this.liveButton.classList.toggle('on', this.live);
  }

  private renderTables(): void {
    const current = this.tableSelect.value;
    const names = this.callbacks.tables().map((t) => t.name);
    if (current && !names.includes(current)) names.push(current);
    clear(
      this.tableSelect,
      h('option', { value: '' }, 'All tables'),
      names.map((n) => h('option', { value: n, selected: n === current }, n)),
    );
  }

  private request(): AuditReadRequest {
    const names = this.eventInput.value
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const since = SINCE.find((s) => s.id === this.sinceSelect.value);
    return {
      ...(this.tableSelect.value ? { table: this.tableSelect.value } : {}),
      ...(names.length ? { eventNames: names } : {}),
      ...(this.outcomeSelect.value ? { errorCode: this.outcomeSelect.value } : {}),
      ...(this.keyInput.value.trim() ? { accessKey: this.keyInput.value.trim() } : {}),
      ...(since && since.ms > 0 ? { since: Date.now() - since.ms } : {}),
      ...(this.textInput.value.trim() ? { text: this.textInput.value.trim() } : {}),
    };
  }

  private restart(): void {
    clearTimeout(this.timer);
    this.generation++;
    if (this.active) void this.poll(this.generation);
  }

  private async poll(generation: number): Promise<void> {
    try {
      const r = await this.backend.auditRead(this.request());
      if (generation !== this.generation) return;
      this.error.textContent = '';
      if (!r.enabled) {
        this.signature = '';
        clear(
          this.body,
          h(
            'div.placeholder',
            null,
            h('h2', null, 'No audit log'),
            h('p', null, 'Start the endpoint with `sortkey serve --audit FILE` to record every request.'),
          ),
        );
        this.statusLine.textContent = '';
        return;
      }
      this.statusLine.textContent = `${countOf(r.records.length, 'record')}${r.complete ? '' : ' (newest)'} · ${r.file ?? ''}`;
      this.render(r.records);
    } catch (e) {
      if (generation !== this.generation) return;
      this.error.textContent = errorText(e);
    }
    if (this.live && this.active && generation === this.generation)
      this.timer = setTimeout(() => void this.poll(generation), POLL_MS);
  }

  private render(records: AuditRecordView[]): void {
    const signature = records.map((r) => r.eventID).join(',');
    if (signature === this.signature && this.body.childElementCount > 0) return;
    this.signature = signature;
    if (records.length === 0) {
      clear(this.body, h('p.hint', null, 'No record matches the filters.'));
      return;
    }
    const rows: Node[] = [];
    for (const r of records) {
      const failed = r.errorCode !== undefined;
      const row = h(
        'tr.audit-row',
        {
          'data-testid': 'audit-row',
          dataset: { event: r.eventName, outcome: failed ? 'error' : 'ok' },
          class: `audit-row${failed ? ' audit-failed' : ''}`,
          onclick: () => {
            this.open = this.open === r.eventID ? undefined : r.eventID;
            this.signature = '';
            this.render(records);
          },
        },
        h('td.code', null, r.eventTime.replace('T', ' ').replace('Z', '')),
        h('td', null, r.eventName),
        h('td', null, recordTables(r).join(', ') || '—'),
        h('td.code', null, r.userIdentity?.accessKeyId ?? 'anonymous'),
        h('td.code', null, r.sourceIPAddress),
        h(
          'td',
          { 'data-testid': 'audit-outcome-cell' },
          failed ? h('span.audit-error', { title: r.errorMessage ?? '' }, r.errorCode) : 'OK',
        ),
        h('td.code', null, recordSubject(r)),
        h('td.code', null, r.requestID),
      );
      rows.push(row);
      if (this.open === r.eventID) {
        rows.push(
          h(
            'tr.audit-detail',
            null,
            h('td', { colSpan: 8 }, h('pre', { 'data-testid': 'audit-json' }, JSON.stringify(r, null, 2))),
          ),
        );
      }
    }
    clear(
      this.body,
      dataTable(
        [
          'Time (UTC)',
          'Operation',
          'Table',
          'Access key',
          'Source IP',
          'Result',
          'Key / statement',
          'Request id',
        ],
        rows,
      ),
    );
  }
}
