// Import and export dialogs of the table browser. Export: the whole table, what the query builder
// reads (Query or Scan), or the selected rows, in every format `sortkey export` writes; the backend
// runs the job (progress, Cancel) and the browser downloads the file. Selected rows are formatted
// here (copy-formats) and downloaded as they are. Import: a file (or every file of an export folder)
// sent to the backend in pieces, showing the bytes sent, then imported all-or-nothing (or keeping
// the good records), with progress, Cancel (while sending or importing) and the rejects report.
import type { Item, ReadInput, StudioBackend } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { DUMP_EXPORT_FORMATS, DUMP_IMPORT_FORMATS, DUMP_UPLOAD_BYTES } from '../backend/workbench-api.js';
import type { DumpExportFormat, DumpImportFormat, DumpJobView } from '../backend/workbench-api.js';
import { COPY_FORMATS, formatRows } from '../lib/copy-formats.js';
import type { CopyFormat } from '../lib/copy-formats.js';
import { clear, countOf, formatBytes, formatCount, h, modal, toast } from '../ui/dom.js';

const POLL_MS = 200;

/** The studio API's address for a path (the page is served from /studio/). */
function apiUrl(path: string): string {
  return new URL(`api/${path}`, document.baseURI).toString();
}

/** Base64 of bytes (in slices: String.fromCharCode takes a bounded number of arguments). */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A file to upload, named by its path inside the folder chosen (or its own name). */
interface UploadFile {
  file: File;
  name: string;
}

/**
 * Sends files to the backend in pieces of DUMP_UPLOAD_BYTES (the browser and the desktop app alike),
 * reporting the bytes sent; `cancelled()` is asked between pieces, and a cancelled upload is
 * discarded. Returns the uploads' ids, or undefined when cancelled.
 */
async function uploadFiles(
  backend: StudioBackend,
  files: UploadFile[],
  progress: (sent: number, total: number, name: string) => void,
  cancelled: () => boolean,
): Promise<string[] | undefined> {
  const total = files.reduce((n, f) => n + f.file.size, 0);
  const ids: string[] = [];
  let sent = 0;
  const discard = async (): Promise<undefined> => {
    await Promise.all(
      ids.map((upload) => backend.dumpUpload({ upload, discard: true }).catch(() => undefined)),
    );
    return undefined;
  };
  progress(0, total, files[0]?.name ?? '');
  for (const { file, name } of files) {
    let id: string | undefined;
    let offset = 0;
    do {
      if (cancelled()) return discard();
      const piece = new Uint8Array(await file.slice(offset, offset + DUMP_UPLOAD_BYTES).arrayBuffer());
      const r = await backend.dumpUpload({
        ...(id !== undefined ? { upload: id } : { name }),
        offset,
        data: base64Of(piece),
      });
      if (id === undefined) ids.push(r.upload);
      id = r.upload;
      offset += piece.length;
      sent += piece.length;
      progress(sent, total, name);
    } while (offset < file.size);
  }
  if (cancelled()) return discard();
  return ids;
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
  const fileInput = h('input', {
    type: 'file',
    'data-testid': 'import-file',
    'aria-label': 'File',
    onchange: () => (folderInput.value = ''),
  });
  // An export folder as `sortkey export --format export-folder` or `aws s3 sync` leaves it: every
  // file of the folder is sent under its path (a .tar or .tar.gz of it is chosen as a file).
  const folderInput = h('input', {
    type: 'file',
    webkitdirectory: true,
    multiple: true,
    'data-testid': 'import-folder',
    'aria-label': 'Export folder',
    onchange: () => (fileInput.value = ''),
  });
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
    const folder = [...(folderInput.files ?? [])];
    const file = fileInput.files?.[0];
    const files: UploadFile[] = folder.length
      ? folder.map((f) => ({ file: f, name: f.webkitRelativePath || f.name }))
      : file
        ? [{ file, name: file.name }]
        : [];
    if (!files.length) {
      text.textContent = 'Choose a file or an export folder first';
      return;
    }
    start.disabled = true;
    bar.hidden = false;
    clear(problems);
    let stopUpload = false;
    running = { cancel: () => (stopUpload = true) };
    cancel.hidden = false;
    cancel.onclick = () => running?.cancel();
    try {
      const ids = await uploadFiles(
        backend,
        files,
        (sent, total, name) => {
          bar.max = Math.max(total, 1);
          bar.value = sent;
          text.textContent = `Uploading ${files.length > 1 ? `${countOf(files.length, 'file')} (${name})` : name}: ${formatBytes(sent)} of ${formatBytes(total)}`;
        },
        () => stopUpload,
      );
      if (!ids) {
        text.textContent = 'Cancelled: nothing was uploaded or written';
        return;
      }
      const first = await backend.dumpImport({
        table,
        format: formatSelect.value as DumpImportFormat,
        onConflict: conflictSelect.value as 'overwrite' | 'skip' | 'fail',
        ...(keepGood.checked ? { continueOnError: true } : {}),
        ...(folder.length ? { uploads: ids } : { upload: ids[0]! }),
      });
      const job = follow(backend, first, bar, text);
      running = job;
      cancel.onclick = () => job.cancel();
      const v = await job.done;
      showOutcome(v);
      if (v.report?.committed) callbacks.onImported();
    } catch (e) {
      text.textContent = errorText(e);
    } finally {
      running = undefined;
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
    h('label.field', null, 'or an export folder ', folderInput),
    h('label.field', null, 'Format ', formatSelect),
    h('label.field', null, 'Items already in the table ', conflictSelect),
    h('label.checkbox', null, keepGood, ' Write the good records when some are bad'),
    bar,
    text,
    problems,
  );
  clear(m.footer, cancel, close, start);
}
