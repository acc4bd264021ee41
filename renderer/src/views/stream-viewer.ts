// The streams viewer: a live tail of a table's stream (INSERT, MODIFY, REMOVE with old and new
// images), polled while the dialog is open, filterable by key text and event, pausable. When the
// table has no stream it says so and offers to enable one.
import type { StudioBackend } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import type { StreamRecordView } from '../backend/workbench-api.js';
import { cellSummary, itemToPlainText } from '../lib/values.js';
import { clear, countOf, h, modal } from '../ui/dom.js';

/** How often the tail asks for new records (ms). */
const POLL_MS = 1000;
/** Records kept on screen; older ones drop off the top. */
const KEEP = 2000;

/** `id = "a", sk = 3`: the key as the list shows it and the filter matches it. */
export function keyText(keys: StreamRecordView['keys']): string {
  return Object.entries(keys)
    .map(([name, v]) => `${name} = ${'S' in v ? JSON.stringify(v.S) : cellSummary(v).text}`)
    .join(', ');
}

export function openStreamViewer(
  backend: StudioBackend,
  table: string,
  callbacks: { onEnabled(): void },
): void {
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const m = modal(`Stream of ${table}`, {
    wide: true,
    testId: 'stream-viewer',
    onClose: () => {
      closed = true;
      clearTimeout(timer);
    },
  });
  const records: StreamRecordView[] = [];
  let cursor: string | undefined;
  let paused = false;
  /** Records read while paused (a read was in flight): the paused view stays as it was. */
  const held: StreamRecordView[] = [];
  let filter = '';
  let event = '';
  const status = h('span.stream-status', { 'data-testid': 'stream-status' }, 'Connecting…');
  const list = h('div.stream-records', { 'data-testid': 'stream-records' });
  const error = h('div.form-error', { role: 'alert', 'data-testid': 'stream-error' });
  const pause = h(
    'button',
    {
      'data-testid': 'stream-pause',
      onclick: () => {
        paused = !paused;
        pause.textContent = paused ? 'Resume' : 'Pause';
        if (paused) clearTimeout(timer);
        else {
          // What a read in flight at the pause brought waited here: shown now, then reading goes on.
          add(held.splice(0));
          schedule(0);
        }
      },
    },
    'Pause',
  );
  const from = h(
    'select',
    {
      'aria-label': 'Start from',
      'data-testid': 'stream-from',
      onchange: () => {
        records.length = 0;
        cursor = undefined;
        render();
        schedule(0);
      },
    },
    h('option', { value: 'latest' }, 'New records'),
    h('option', { value: 'oldest' }, 'Oldest kept (24 h)'),
  );
  m.body.append(
    h(
      'div.form-row.stream-toolbar',
      null,
      from,
      h('input', {
        type: 'text',
        placeholder: 'filter by key (e.g. c42)',
        'aria-label': 'Filter by key',
        'data-testid': 'stream-filter',
        oninput: (e: Event) => ((filter = (e.target as HTMLInputElement).value.trim()), render()),
      }),
      h(
        'select',
        {
          'aria-label': 'Event',
          'data-testid': 'stream-event',
          onchange: (e: Event) => ((event = (e.target as HTMLSelectElement).value), render()),
        },
        h('option', { value: '' }, 'All events'),
        ['INSERT', 'MODIFY', 'REMOVE'].map((n) => h('option', { value: n }, n)),
      ),
      pause,
      h(
        'button',
        { onclick: () => ((records.length = 0), render()), 'data-testid': 'stream-clear' },
        'Clear',
      ),
      status,
    ),
    error,
    list,
  );
  m.footer.append(h('button', { onclick: () => m.close() }, 'Close'));

  const image = (label: string, item: StreamRecordView['newImage']): HTMLElement | null =>
    item
      ? h('div.stream-image', null, h('span.hint', null, label), h('pre', null, itemToPlainText(item)))
      : null;

  const render = (): void => {
    const shown = records.filter(
      (r) => (!event || r.eventName === event) && (!filter || keyText(r.keys).includes(filter)),
    );
    clear(
      list,
      shown.length === 0
        ? h(
            'p.hint',
            null,
            records.length ? 'No record matches the filter.' : 'Waiting for changes to the table…',
          )
        : null,
      // Newest first.
      shown
        .slice()
        .reverse()
        .map((r) =>
          h(
            'details.stream-record',
            { 'data-testid': 'stream-record', dataset: { event: r.eventName } },
            h(
              'summary',
              null,
              h('span.stream-time', null, new Date(r.at).toLocaleTimeString()),
              h(`span.event-badge`, { class: `event-badge event-${r.eventName.toLowerCase()}` }, r.eventName),
              h('code.stream-key', null, keyText(r.keys)),
            ),
            h('div.stream-images', null, image('Old image', r.oldImage), image('New image', r.newImage)),
          ),
        ),
    );
  };

  let viewType = '';
  const add = (more: StreamRecordView[]): void => {
    if (more.length > 0) {
      records.push(...more);
      if (records.length > KEEP) records.splice(0, records.length - KEEP);
      render();
    }
    status.textContent = `${viewType} · ${countOf(records.length, 'record')} · ${paused ? 'paused' : 'live'}`;
  };

  const schedule = (ms: number): void => {
    clearTimeout(timer);
    if (!closed && !paused) timer = setTimeout(() => void poll(), ms);
  };

  const poll = async (): Promise<void> => {
    try {
      const r = await backend.streamRead({
        table,
        ...(cursor ? { cursor } : { from: from.value as 'latest' | 'oldest' }),
      });
      if (closed) return;
      error.textContent = '';
      if (!r.enabled) {
        cursor = undefined;
        clear(
          status,
          'This table has no stream. ',
          h(
            'button.small',
            {
              'data-testid': 'stream-enable',
              onclick: async () => {
                try {
                  await backend.changeTableSettings({
                    table,
                    change: { kind: 'stream', enabled: true, viewType: 'NEW_AND_OLD_IMAGES' },
                  });
                  callbacks.onEnabled();
                  schedule(0);
                } catch (e) {
                  error.textContent = errorText(e);
                }
              },
            },
            'Enable (new and old images)',
          ),
        );
        return; // Nothing to poll until a stream exists.
      }
      cursor = r.cursor;
      viewType = r.viewType ?? '';
      if (paused) held.push(...r.records);
      else add(r.records);
      if (list.childElementCount === 0) render();
      schedule(POLL_MS);
    } catch (e) {
      if (closed) return;
      error.textContent = errorText(e);
      schedule(POLL_MS * 3);
    }
  };
  void poll();
}
