// The studio's import and export: jobs that run the dumps (engine/dump: importItems, exportTable)
// on the connection in use, in the background, with progress the UI polls and an abort signal for
// Cancel. Files travel over HTTP (routes.ts): an export's result is downloaded with
// GET /studio/api/dump/<id>, an import's input is uploaded first (POST /studio/api/dump-upload, the
// raw body streamed to a temporary file, or dumpUpload's pieces, which the desktop app uses too). An
// export folder arrives as an archive (.tar, .tar.gz: unpacked here, untar.ts) or as the uploads of
// its files named by their paths. Import is all-or-nothing (importItems' promise): a bad record, a
// failure or a cancel leaves the table as it was, and the rejects report lists the records.
import {
  closeSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DumpError,
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  exportTable,
  importItems,
} from '../../engine/dump/index.js';
import type {
  DumpTarget,
  ExportFormat,
  ExportSpec,
  ImportFormatName,
  Progress,
} from '../../engine/dump/index.js';
import { DUMP_READ_BYTES, DUMP_UPLOAD_BYTES } from '../../renderer/src/backend/workbench-api.js';
import type {
  DumpExportRequest,
  DumpImportRequest,
  DumpJobView,
  DumpReadRequest,
  DumpReadResult,
  DumpUploadRequest,
  DumpUploadResult,
} from '../../renderer/src/backend/workbench-api.js';
import { create as createTar } from 'tar';
import { archiveKind, safeRelativePath, untar } from './untar.js';

/** A ValidationException for input the studio sent wrong (shaped like the backend's errors). */
function invalid(message: string): Error {
  return Object.assign(new Error(message), { type: 'ValidationException' });
}

/** Formats the import dialog offers: every import format (a folder arrives as an archive or its files). */
export const UPLOAD_IMPORT_FORMATS: readonly ImportFormatName[] = IMPORT_FORMATS;

/** Files of one folder upload (an export's data files and manifests). */
const MAX_FOLDER_FILES = 10_000;

/** The file name and type a downloaded export gets. */
const DOWNLOADS: Record<ExportFormat, { ext: string; type: string }> = {
  'scan-json': { ext: '.json', type: 'application/json' },
  'ddb-jsonl': { ext: '.jsonl', type: 'application/x-ndjson' },
  'ddb-jsonl-gz': { ext: '.jsonl.gz', type: 'application/gzip' },
  'export-folder': { ext: '.tar', type: 'application/x-tar' },
  'batch-write': { ext: '.json', type: 'application/json' },
  json: { ext: '.json', type: 'application/json' },
  ndjson: { ext: '.ndjson', type: 'application/x-ndjson' },
  csv: { ext: '.csv', type: 'text/csv; charset=utf-8' },
  'sortkey-dump': { ext: '.skdump', type: 'application/x-ndjson' },
};

/** Finished jobs (and their files) are forgotten after this long. */
const KEEP_MS = 30 * 60_000;

interface Job {
  readonly id: string;
  readonly kind: 'export' | 'import';
  readonly dir: string;
  readonly abort: AbortController;
  state: DumpJobView['state'];
  progress?: Progress;
  view?: Partial<DumpJobView>;
  error?: string;
  /** The export's result (a file in `dir`), its download name and content type. */
  download?: { path: string; name: string; type: string };
  rejectsPath?: string;
  finishedAt?: number;
}

export interface DumpJobsOptions {
  /** The connection (or engine) in use when a job starts. */
  target(): DumpTarget;
  /** Throws when the connection in use refuses writes (read-only). */
  checkWritable(what: string): void;
  /** Where temporary files go (default: the system's temporary folder). */
  tempDir?: string;
}

export interface DumpJobs {
  dumpExport(args: DumpExportRequest): Promise<DumpJobView>;
  dumpUpload(args: DumpUploadRequest): Promise<DumpUploadResult>;
  dumpImport(args: DumpImportRequest): Promise<DumpJobView>;
  dumpProgress(args: { id: string }): Promise<DumpJobView>;
  dumpCancel(args: { id: string }): Promise<DumpJobView>;
  dumpRead(args: DumpReadRequest): Promise<DumpReadResult>;
  /** Streams an upload to a temporary file; returns its id for dumpImport. */
  upload(body: Readable, name: string): Promise<string>;
  /** An export's file, or an import's rejects file (`rejects`), when there is one. */
  file(id: string, which: 'result' | 'rejects'): { path: string; name: string; type: string } | undefined;
  /** Cancels every job and removes every temporary file. */
  close(): void;
}

function newId(): string {
  return randomBytes(12).toString('hex');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'items';
}

/**
 * The name of the one folder an export-folder download holds: the table's, as `tar -cf x.tar folder`
 * packs a folder (unpacked, it does not spill its files beside the archive). Not `data` nor
 * `AWSDynamoDB`: an import reads those as parts of the export layout, not as the chosen folder.
 */
function archiveFolderName(table: string): string {
  const name = safeName(table);
  return name === 'data' || name === 'AWSDynamoDB' ? `${name}-export` : name;
}

/** Packs `parent/name` into a tar archive whose entries start with `name/` (streamed: data files can be big). */
export async function tarFolder(parent: string, name: string, archive: string): Promise<void> {
  // portable: no owner names or ids of this machine in the download.
  await createTar({ file: archive, cwd: parent, portable: true }, [name]);
}

/**
 * The folder the user chose inside an unpacked upload: a browser names a folder's files by paths
 * that start with the folder's own name, and `tar -cf x.tar folder` packs it the same way, so a
 * single folder at the top (and nothing beside it) is the one to read.
 */
function chosenFolder(root: string): string {
  const entries = readdirSync(root, { withFileTypes: true });
  const only = entries.length === 1 ? entries[0]! : undefined;
  return only?.isDirectory() && only.name !== 'data' && only.name !== 'AWSDynamoDB'
    ? join(root, only.name)
    : root;
}

/** The Query or Scan input an export reads (its TableName is the request's table). */
function readSpec(args: DumpExportRequest): ExportSpec {
  if (typeof args.table !== 'string' || args.table === '') throw invalid('table is required');
  if (args.read === undefined) return { table: args.table };
  if (!isRecord(args.read) || (args.read.operation !== 'Query' && args.read.operation !== 'Scan'))
    throw invalid('read must be { operation: "Query" | "Scan", input }');
  if (!isRecord(args.read.input)) throw invalid('read.input must be an object');
  const input: Record<string, unknown> = { ...args.read.input, TableName: args.table };
  // Paging is the export's own: a start key or a limit from the grid's page would cut it short.
  delete input.ExclusiveStartKey;
  delete input.Limit;
  return args.read.operation === 'Query'
    ? { table: args.table, query: input }
    : { table: args.table, scan: input };
}

/** Every job folder of this process, removed when it exits (one exit hook for all). */
const tempFolders = new Set<string>();
let exitHooked = false;

function removeAtExit(folder: string): void {
  tempFolders.add(folder);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const f of tempFolders) rmSync(f, { recursive: true, force: true });
  });
}

export function dumpJobs(options: DumpJobsOptions): DumpJobs {
  const base = mkdtempSync(join(options.tempDir ?? tmpdir(), 'sortkey-studio-dump-'));
  removeAtExit(base);
  const jobs = new Map<string, Job>();
  const uploads = new Map<string, { path: string; name: string; size: number; at: number; busy?: boolean }>();

  function forget(): void {
    const now = Date.now();
    // Uploads no import asked for.
    for (const [id, u] of uploads) {
      if (now - u.at > KEEP_MS) {
        rmSync(u.path, { force: true });
        uploads.delete(id);
      }
    }
    for (const [id, job] of jobs) {
      if (job.finishedAt !== undefined && now - job.finishedAt > KEEP_MS) {
        rmSync(job.dir, { recursive: true, force: true });
        jobs.delete(id);
      }
    }
  }

  function job(id: unknown): Job {
    const j = typeof id === 'string' ? jobs.get(id) : undefined;
    if (!j) throw invalid(`No import or export job ${String(id)} (finished jobs are kept 30 minutes)`);
    return j;
  }

  function start(kind: Job['kind']): Job {
    forget();
    const id = newId();
    const dir = join(base, id);
    // One folder per job (its result, its rejects), removed with it.
    mkdirSync(dir, { recursive: true });
    const j: Job = { id, kind, dir, abort: new AbortController(), state: 'running' };
    jobs.set(id, j);
    return j;
  }

  function view(j: Job): DumpJobView {
    const p = j.progress;
    return {
      id: j.id,
      kind: j.kind,
      state: j.state,
      items: p?.items ?? 0,
      bytes: p?.bytes ?? 0,
      ...(p?.totalBytes !== undefined ? { totalBytes: p.totalBytes } : {}),
      ...(p?.totalItems !== undefined ? { totalItems: p.totalItems } : {}),
      ...(p ? { phase: p.phase } : {}),
      rejected: p?.rejected ?? 0,
      ...(j.error !== undefined ? { error: j.error } : {}),
      ...(j.download ? { fileName: j.download.name } : {}),
      ...(j.rejectsPath ? { rejectsFile: true } : {}),
      ...j.view,
    };
  }

  function fileOf(
    id: string,
    which: 'result' | 'rejects',
  ): { path: string; name: string; type: string } | undefined {
    const j = jobs.get(id);
    if (!j) return undefined;
    if (which === 'result') return j.download;
    return j.rejectsPath
      ? { path: j.rejectsPath, name: 'rejects.ndjson', type: 'application/x-ndjson' }
      : undefined;
  }

  function finish(j: Job, state: DumpJobView['state'], error?: unknown): void {
    j.finishedAt = Date.now();
    if (j.abort.signal.aborted && state === 'failed') state = 'cancelled';
    j.state = state;
    if (error !== undefined && state === 'failed')
      j.error = error instanceof DumpError || error instanceof Error ? error.message : String(error);
  }

  return {
    async dumpExport(args) {
      if (!isRecord(args)) throw invalid('export request expected');
      const format = args.format;
      if (!EXPORT_FORMATS.includes(format as ExportFormat))
        throw invalid(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
      const spec = readSpec(args);
      const j = start('export');
      const d = DOWNLOADS[format];
      const name = safeName(args.table) + d.ext;
      const out = join(j.dir, 'out' + d.ext);
      const target = options.target();
      void (async () => {
        try {
          const common = {
            format,
            signal: j.abort.signal,
            onProgress: (p: Progress) => (j.progress = p),
          };
          if (format === 'export-folder') {
            const parent = join(j.dir, 'folder');
            const top = archiveFolderName(args.table);
            await exportTable(target, spec, join(parent, top), common);
            await tarFolder(parent, top, out);
            rmSync(parent, { recursive: true, force: true });
          } else if (format === 'batch-write') {
            // One BatchWriteItem document (a file name would split it into files of 25 requests).
            const stream = createWriteStream(out);
            try {
              await exportTable(target, spec, stream, common);
            } finally {
              await new Promise<void>((resolve) => stream.end(() => resolve()));
            }
          } else {
            await exportTable(target, spec, out, common);
          }
          j.download = { path: out, name, type: d.type };
          finish(j, 'done');
        } catch (e) {
          rmSync(out, { force: true });
          finish(j, 'failed', e);
        }
      })();
      return view(j);
    },

    async dumpUpload(args) {
      if (!isRecord(args)) throw invalid('upload request expected');
      if (args.discard === true) {
        const id = typeof args.upload === 'string' ? args.upload : '';
        const u = uploads.get(id);
        if (u) {
          uploads.delete(id);
          rmSync(u.path, { force: true });
        }
        return { upload: id, size: 0 };
      }
      if (typeof args.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(args.data))
        throw invalid('data must be base64');
      const bytes = Buffer.from(args.data, 'base64');
      if (bytes.length > DUMP_UPLOAD_BYTES) throw invalid(`a piece is at most ${DUMP_UPLOAD_BYTES} bytes`);
      const offset = args.offset ?? 0;
      let id: string;
      let u;
      if (args.upload === undefined) {
        forget();
        if (offset !== 0) throw invalid('a new upload starts at offset 0');
        const name = typeof args.name === 'string' && args.name !== '' ? args.name.slice(0, 1000) : 'upload';
        id = newId();
        u = { path: join(base, `upload-${id}`), name, size: 0, at: Date.now() };
        closeSync(openSync(u.path, 'w'));
        uploads.set(id, u);
      } else {
        id = String(args.upload);
        u = uploads.get(id);
        if (!u) throw invalid(`No upload ${id} (uploads are kept 30 minutes)`);
        if (u.busy) throw invalid(`upload ${id} is receiving another piece`);
        if (offset !== u.size) throw invalid(`upload ${id} has ${u.size} bytes; the next piece starts there`);
      }
      u.busy = true;
      try {
        await appendFile(u.path, bytes);
        u.size += bytes.length;
        u.at = Date.now();
      } finally {
        u.busy = false;
      }
      return { upload: id, size: u.size };
    },

    async dumpImport(args) {
      if (!isRecord(args)) throw invalid('import request expected');
      if (typeof args.table !== 'string' || args.table === '') throw invalid('table is required');
      const format = (args.format ?? 'auto') as ImportFormatName;
      if (!UPLOAD_IMPORT_FORMATS.includes(format))
        throw invalid(`format must be one of ${UPLOAD_IMPORT_FORMATS.join(', ')}`);
      if (args.onConflict !== undefined && !['overwrite', 'skip', 'fail'].includes(args.onConflict))
        throw invalid('onConflict must be overwrite, skip or fail');
      const upload = typeof args.upload === 'string' ? uploads.get(args.upload) : undefined;
      let folderFiles: { id: string; path: string; name: string }[] | undefined;
      if (args.uploads !== undefined) {
        if (
          !Array.isArray(args.uploads) ||
          args.uploads.length === 0 ||
          args.uploads.length > MAX_FOLDER_FILES
        )
          throw invalid(`uploads must list 1 to ${MAX_FOLDER_FILES} uploaded files of a folder`);
        folderFiles = args.uploads.map((id) => {
          const u = typeof id === 'string' ? uploads.get(id) : undefined;
          if (!u) throw invalid(`No upload ${String(id)} (uploads are kept 30 minutes)`);
          try {
            safeRelativePath(u.name);
          } catch (e) {
            throw invalid((e as Error).message);
          }
          return { id, path: u.path, name: u.name };
        });
      } else if (!upload && typeof args.text !== 'string')
        throw invalid('upload (the id of an uploaded file), uploads (a folder’s files) or text is required');
      options.checkWritable(`Import into ${args.table}`);
      const j = start('import');
      const rejects = join(j.dir, 'rejects.ndjson');
      let input: string | { name: string; text: string };
      /** The input is a folder (an export folder, chosen as one or unpacked from an archive). */
      let folder = false;
      /** An archive to unpack before reading (an export folder as one file). */
      let archive: 'tar' | 'tar.gz' | undefined;
      if (folderFiles) {
        // The folder as it was chosen: every file at its path inside it.
        input = join(j.dir, 'folder');
        folder = true;
        for (const f of folderFiles) {
          uploads.delete(f.id);
          const parts = safeRelativePath(f.name);
          mkdirSync(join(input, ...parts.slice(0, -1)), { recursive: true });
          renameSync(f.path, join(input, ...parts));
        }
      } else if (upload) {
        uploads.delete(args.upload!);
        input = join(j.dir, 'input');
        renameSync(upload.path, input);
        // Only an archive of a folder is unpacked: a gzipped data file is read as it is.
        if (format === 'auto' || format === 'export-folder') archive = archiveKind(input);
        if (format === 'export-folder' && !archive) {
          rmSync(input, { force: true });
          finish(j, 'failed', new Error(`${upload.name} is not a .tar or .tar.gz of an export folder`));
          return view(j);
        }
      } else {
        input = { name: 'pasted text', text: args.text! };
      }
      const target = options.target();
      void (async () => {
        try {
          if (archive && typeof input === 'string') {
            const unpacked = join(j.dir, 'folder');
            try {
              await untar(input, unpacked);
            } catch (e) {
              throw new Error(`${upload?.name ?? 'the archive'}: ${(e as Error).message}`);
            }
            rmSync(input, { force: true });
            input = unpacked;
            folder = true;
          }
          if (folder && typeof input === 'string') input = chosenFolder(input);
          const report = await importItems(target, input, {
            table: args.table,
            // A folder is an export folder whatever was chosen (auto detects it from the manifests).
            format: folder ? 'auto' : format,
            ...(args.onConflict ? { onConflict: args.onConflict } : {}),
            ...(args.continueOnError ? { continueOnError: true } : {}),
            rejects,
            signal: j.abort.signal,
            onProgress: (p: Progress) => (j.progress = p),
          });
          if (report.rejectsFile) j.rejectsPath = rejects;
          j.view = {
            report: {
              format: report.format,
              records: report.records,
              written: report.written,
              skipped: report.skipped,
              rejected: report.rejected,
              committed: report.committed,
              created: report.tables.some((t) => t.created),
              problems: report.problems.map((p) => ({ line: p.line, reason: p.reason })),
              warnings: [...report.warnings, ...report.tables.flatMap((t) => t.warnings)],
            },
            rejected: report.rejected,
          };
          finish(j, 'done');
        } catch (e) {
          // Name the input as the user chose it, not by the job's temporary folder.
          if (e instanceof Error) e.message = e.message.split(j.dir + sep).join('');
          finish(j, 'failed', e);
        } finally {
          rmSync(join(j.dir, 'input'), { force: true });
          rmSync(join(j.dir, 'folder'), { recursive: true, force: true });
        }
      })();
      return view(j);
    },

    async dumpProgress(args) {
      return view(job(isRecord(args) ? args.id : undefined));
    },

    async dumpCancel(args) {
      const j = job(isRecord(args) ? args.id : undefined);
      if (j.state === 'running') j.abort.abort(new DumpError('cancelled'));
      return view(j);
    },

    async dumpRead(args) {
      if (!isRecord(args) || typeof args.id !== 'string') throw invalid('id is required');
      const which = args.which === 'rejects' ? 'rejects' : 'result';
      const offset = args.offset ?? 0;
      if (!Number.isSafeInteger(offset) || offset < 0) throw invalid('offset must be a byte offset');
      const file = fileOf(args.id, which);
      if (!file)
        throw invalid(`No ${which === 'rejects' ? 'rejects file' : 'exported file'} for job ${args.id}`);
      const size = statSync(file.path).size;
      const fd = openSync(file.path, 'r');
      try {
        const buf = Buffer.alloc(Math.max(0, Math.min(DUMP_READ_BYTES, size - offset)));
        const n = buf.length ? readSync(fd, buf, 0, buf.length, offset) : 0;
        return { data: buf.subarray(0, n).toString('base64'), next: offset + n, size };
      } finally {
        closeSync(fd);
      }
    },

    upload(body, name) {
      const id = newId();
      const path = join(base, `upload-${id}`);
      return new Promise((resolve, reject) => {
        const out = createWriteStream(path);
        let size = 0;
        body.on('data', (c: Buffer) => (size += c.length));
        body.on('error', (e) => {
          out.destroy();
          rmSync(path, { force: true });
          reject(e);
        });
        out.on('error', (e) => {
          rmSync(path, { force: true });
          reject(e);
        });
        out.on('finish', () => {
          uploads.set(id, { path, name, size, at: Date.now() });
          resolve(id);
        });
        body.pipe(out);
      });
    },

    file: fileOf,

    close() {
      for (const j of jobs.values()) if (j.state === 'running') j.abort.abort(new DumpError('cancelled'));
      rmSync(base, { recursive: true, force: true });
      tempFolders.delete(base);
    },
  };
}
