// Import and export dialogs of the table browser. Export: the whole table, what the query builder
// reads (Query or Scan), or the selected rows, in every format `sortkey export` writes; the backend
// runs the job (progress, Cancel) and the browser downloads the file. Selected rows are formatted
// here (copy-formats) and downloaded as they are. Import: a file uploaded to the backend, then
// imported all-or-nothing (or keeping the good records), with progress, Cancel and the rejects report.
import type { Item, ReadInput, StudioBackend } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { DUMP_EXPORT_FORMATS, DUMP_IMPORT_FORMATS } from '../backend/workbench-api.js';
import type { DumpExportFormat, DumpImportFormat, DumpJobView } from '../backend/workbench-api.js';
import { COPY_FORMATS, formatRows } from '../lib/copy-formats.js';
import type { CopyFormat } from '../lib/copy-formats.js';
import { clear, countOf, formatBytes, formatCount, h, modal, toast } from '../ui/dom.js';

const POLL_MS = 200;

/** The studio API's address for a path (the page is served from /studio/). */
function apiUrl(path: string): string {
  return new URL(`api/${path}`, document.baseURI).toString();
}

function desktop(): boolean {
  return window.sortkeyStudio?.shell === 'electron';
}

/** Saves `blob` (or the file at `url`) through the browser's download. */
function download(name: string, source: { url: string } | { blob: Blob }): void {
  const url = 'url' in source ? source.url : URL.createObjectURL(source.blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  if ('blob' in source) setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Saves a job's file: through the HTTP route in a browser, read piece by piece through the backend
 * in the desktop app (no HTTP there).
 */
async function saveJobFile(
  backend: StudioBackend,
  id: string,
  name: string,
  which: 'result' | 'rejects',
): Promise<void> {
  if (!desktop()) {
    download(name, { url: apiUrl(which === 'rejects' ? `dump/${id}/rejects` : `dump/${id}`) });
    return;
  }
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const piece = await backend.dumpRead({ id, which, offset });
    const bytes = Uint8Array.from(atob(piece.data), (c) => c.charCodeAt(0));
    parts.push(bytes);
    offset = piece.next;
    if (offset >= piece.size || bytes.length === 0) break;
  }
  download(name, { blob: new Blob(parts) });
}

function progressText(v: DumpJobView): string {
  const parts = [
    v.phase === 'read' ? 'Reading' : v.phase === 'write' ? 'Writing' : v.kind === 'export' ? 'Exported' : '',
    v.totalItems !== undefined
      ? `${formatCount(v.items)} of ${countOf(v.totalItems, 'item')}`
      : countOf(v.items, v.phase === 'read' ? 'record' : 'item'),
    v.totalBytes ? `${formatBytes(v.bytes)} of ${formatBytes(v.totalBytes)}` : formatBytes(v.bytes),
  ];
  if (v.rejected) parts.push(`${countOf(v.rejected, 'record')} rejected`);
  return parts.filter(Boolean).join(' · ');
}

/**
 * Follows a job until it ends, showing its progress in `bar`/`text`; the returned `cancel` stops it.
 */
function follow(
  backend: StudioBackend,
  first: DumpJobView,
  bar: HTMLProgressElement,
  text: HTMLElement,
): { done: Promise<DumpJobView>; cancel: () => void } {
  let view = first;
  const show = (v: DumpJobView): void => {
    const total = v.phase === 'read' || v.kind === 'import' ? v.totalBytes : v.totalItems;
    const value = v.phase === 'read' || v.kind === 'import' ? v.bytes : v.items;
    if (total) {
      bar.max = total;
      bar.value = Math.min(value, total);
    } else bar.removeAttribute('value');
    text.textContent = progressText(v);
  };
  show(view);
  const done = (async () => {
    while (view.state === 'running') {
      await new Promise((r) => setTimeout(r, POLL_MS));
      view = await backend.dumpProgress({ id: view.id });
      show(view);
    }
    bar.max = 1;
    bar.value = 1;
    return view;
  })();
  return {
    done,
    cancel: () => void backend.dumpCancel({ id: view.id }).catch(() => undefined),
  };
}

export interface ExportSource {
  table: string;
  /** The query builder's read, when it has one. */
  read?: { operation: 'Query' | 'Scan'; input: ReadInput };
  /** The grid's selected rows. */
  selected: Item[];
  keyNames: string[];
}

type ExportWhat = 'table' | 'read' | 'selected';

export function openExportDialog(backend: StudioBackend, source: ExportSource): void {
  let running: { cancel: () => void } | undefined;
  const m = modal(`Export ${source.table}`, {
    testId: 'export-dialog',
    beforeClose: () => {
      running?.cancel();
      return true;
    },
  });
  const filtered =
    source.read &&
    (source.read.operation === 'Query' || source.read.input.FilterExpression || source.read.input.IndexName);
  let what: ExportWhat = source.selected.length > 0 ? 'selected' : filtered ? 'read' : 'table';
  const whatSelect = h(
    'select',
    {
      'data-testid': 'export-what',
      'aria-label': 'What to export',
      onchange: () => ((what = whatSelect.value as ExportWhat), renderFormats()),
    },
    h('option', { value: 'table', selected: what === 'table' }, 'The whole table'),
    source.read
      ? h('option', { value: 'read', selected: what === 'read' }, `What the ${source.read.operation} reads`)
      : null,
    source.selected.length
      ? h(
          'option',
          { value: 'selected', selected: what === 'selected' },
          `The ${countOf(source.selected.length, 'selected row')}`,
        )
      : null,
  );
  const formatSelect = h('select', { 'data-testid': 'export-format', 'aria-label': 'Format' });
  const renderFormats = (): void => {
    const options =
      what === 'selected'
        ? COPY_FORMATS.map((f) => h('option', { value: f.id }, f.label))
        : DUMP_EXPORT_FORMATS.map((f) => h('option', { value: f.id }, f.label));
    clear(formatSelect, options);
  };
  renderFormats();
  const bar = h('progress', { max: 1, value: 0, hidden: true });
  const text = h('p.dump-status', { 'data-testid': 'export-status' });
  const start = h('button.primary', { 'data-testid': 'export-start' }, 'Export');
  const cancel = h('button', { 'data-testid': 'export-cancel', hidden: true }, 'Cancel');
  const close = h('button', { onclick: () => m.close() }, 'Close');

  start.onclick = async () => {
    if (what === 'selected') {
      const format = formatSelect.value as CopyFormat;
      const ext = format === 'csv' ? '.csv' : format === 'partiql' ? '.partiql' : '.json';
      try {
        const body = formatRows(format, source.selected, source.table, source.keyNames);
        download(`${source.table}-selected${ext}`, { blob: new Blob([body], { type: 'text/plain' }) });
        text.textContent = `Saved ${countOf(source.selected.length, 'item')}`;
      } catch (e) {
        text.textContent = (e as Error).message;
      }
      return;
    }
    start.disabled = true;
    bar.hidden = false;
    cancel.hidden = false;
    try {
      const first = await backend.dumpExport({
        table: source.table,
        format: formatSelect.value as DumpExportFormat,
        ...(what === 'read' && source.read
          ? { read: { operation: source.read.operation, input: { ...source.read.input } } }
          : {}),
      });
      const job = follow(backend, first, bar, text);
      running = job;
      cancel.onclick = () => job.cancel();
      const v = await job.done;
      running = undefined;
      if (v.state === 'done' && v.fileName) {
        text.textContent = `Exported ${countOf(v.items, 'item')} (${formatBytes(v.bytes)}) to ${v.fileName}`;
        await saveJobFile(backend, v.id, v.fileName, 'result');
      } else if (v.state === 'cancelled') text.textContent = 'Cancelled: nothing was saved';
      else text.textContent = `Export failed: ${v.error ?? 'unknown error'}`;
    } catch (e) {
      text.textContent = errorText(e);
    } finally {
      start.disabled = false;
      cancel.hidden = true;
    }
  };

  clear(
    m.body,
    h('label.field', null, 'Export ', whatSelect),
    h('label.field', null, 'Format ', formatSelect),
    bar,
    text,
  );
  clear(m.footer, cancel, close, start);
}

export function openImportDialog(
  backend: StudioBackend,
  table: string,
  callbacks: { onImported(): void },
): void {
  let running: { cancel: () => void } | undefined;
  const m = modal(`Import into ${table}`, {
    testId: 'import-dialog',
    beforeClose: () => {
      running?.cancel();
      return true;
    },
  });
  const fileInput = h('input', { type: 'file', 'data-testid': 'import-file', 'aria-label': 'File' });
  const formatSelect = h(
    'select',
    { 'data-testid': 'import-format', 'aria-label': 'Format' },
    DUMP_IMPORT_FORMATS.map((f) => h('option', { value: f.id }, f.label)),
  );
  const conflictSelect = h(
    'select',
    { 'data-testid': 'import-conflict', 'aria-label': 'Items already in the table' },
    h('option', { value: 'overwrite' }, 'Overwrite them'),
    h('option', { value: 'skip' }, 'Keep them (skip the imported one)'),
    h('option', { value: 'fail' }, 'Import nothing'),
  );
  const keepGood = h('input', { type: 'checkbox', 'data-testid': 'import-continue' });
  const bar = h('progress', { max: 1, value: 0, hidden: true });
  const text = h('p.dump-status', { 'data-testid': 'import-status' });
  const problems = h('div.dump-problems', { 'data-testid': 'import-problems' });
  const start = h('button.primary', { 'data-testid': 'import-start' }, 'Import');
  const cancel = h('button', { 'data-testid': 'import-cancel', hidden: true }, 'Cancel');
  const close = h('button', { onclick: () => m.close() }, 'Close');

  start.onclick = async () => {
    const file = fileInput.files?.[0];
    if (!file) {
      text.textContent = 'Choose a file first';
      return;
    }
    start.disabled = true;
    bar.hidden = false;
    clear(problems);
    text.textContent = `Uploading ${file.name}…`;
    try {
      let source: { upload: string } | { text: string };
      if (desktop()) {
        source = { text: await file.text() };
      } else {
        const res = await fetch(apiUrl(`dump-upload?name=${encodeURIComponent(file.name)}`), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/octet-stream', 'X-Sortkey-Upload': '1' },
          body: file,
        });
        const body = (await res.json()) as { upload?: string; message?: string };
        if (!res.ok || !body.upload) throw new Error(body.message ?? `Upload failed (${res.status})`);
        source = { upload: body.upload };
      }
      const first = await backend.dumpImport({
        table,
        format: formatSelect.value as DumpImportFormat,
        onConflict: conflictSelect.value as 'overwrite' | 'skip' | 'fail',
        ...(keepGood.checked ? { continueOnError: true } : {}),
        ...source,
      });
      cancel.hidden = false;
      const job = follow(backend, first, bar, text);
      running = job;
      cancel.onclick = () => job.cancel();
      const v = await job.done;
      running = undefined;
      showOutcome(v);
      if (v.report?.committed) callbacks.onImported();
    } catch (e) {
      text.textContent = errorText(e);
    } finally {
      start.disabled = false;
      cancel.hidden = true;
    }
  };

  function showOutcome(v: DumpJobView): void {
    if (v.state === 'cancelled') {
      text.textContent = 'Cancelled: the table is as it was';
      return;
    }
    if (v.state === 'failed' || !v.report) {
      text.textContent = `Import failed: ${v.error ?? 'unknown error'} (nothing was written)`;
      return;
    }
    const r = v.report;
    text.textContent = r.committed
      ? `Imported ${countOf(r.written, 'item')} (${r.format})` +
        (r.skipped ? `, ${formatCount(r.skipped)} skipped` : '') +
        (r.rejected ? `, ${countOf(r.rejected, 'record')} rejected` : '')
      : r.rejected
        ? `Nothing was written: ${countOf(r.rejected, 'record')} rejected`
        : 'Nothing was written';
    if (r.problems.length || r.warnings.length) {
      clear(
        problems,
        r.problems.length
          ? h(
              'ul',
              null,
              r.problems.map((p) => h('li', null, `line ${p.line}: ${p.reason}`)),
            )
          : null,
        r.warnings.map((w) => h('p', null, w)),
        v.rejectsFile
          ? h(
              'button.small',
              {
                'data-testid': 'import-rejects',
                onclick: () =>
                  void saveJobFile(backend, v.id, 'rejects.ndjson', 'rejects').catch((e: unknown) =>
                    toast(errorText(e), 'error'),
                  ),
              },
              'Download every rejected record',
            )
          : null,
      );
    }
    if (r.committed) toast(`Imported ${countOf(r.written, 'item')} into ${table}`, 'ok');
  }

  clear(
    m.body,
    h('label.field', null, 'File ', fileInput),
    h('label.field', null, 'Format ', formatSelect),
    h('label.field', null, 'Items already in the table ', conflictSelect),
    h('label.checkbox', null, keepGood, ' Write the good records when some are bad'),
    bar,
    text,
    problems,
  );
  clear(m.footer, cancel, close, start);
}
