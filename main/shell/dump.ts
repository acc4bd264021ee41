// `.import FILE TABLE [PK[:T] [SK[:T]]] [--flags of sortkey import]` and `.export TABLE|"SELECT …" FILE`, through the engine's
// dump module (engine/dump: formats detected from the content or the file name, validated, all or
// nothing). The module loads on first use, so the shell starts without it.
import type * as DumpApi from '../../engine/dump/index.js';
import type { DumpTarget, ExportReport, ImportReport } from '../../engine/dump/index.js';
import type { Backend } from './backend.js';
import { formatBytes } from './format.js';
import { plural } from './text.js';
import type { Session } from './session.js';

/** Problems listed after an import before "… and N more". */
const SHOWN_PROBLEMS = 5;

type DumpModule = typeof DumpApi;

async function loadDump(session: Session, what: string): Promise<DumpModule | undefined> {
  try {
    return await import('../../engine/dump/index.js');
  } catch (e) {
    session.io.err(
      `${session.io.errColors.yellow(`${what} is not available`)}: the dump module (engine/dump) did not load: ${(e as Error).message}\n`,
    );
    return undefined;
  }
}

/** The connection the shell talks through: dumps use it as it is. */
function targetOf(backend: Backend): DumpTarget {
  return backend.connection;
}

function progressLine(session: Session): ((text: string) => void) | undefined {
  const status = session.io.status;
  if (!status) return undefined;
  let last = 0;
  return (text: string) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    status(text);
  };
}

function failure(session: Session, what: string, e: unknown): false {
  const err = e as Error;
  const name = err.name && err.name !== 'Error' ? err.name : what;
  session.io.err(`${session.io.errColors.bold(session.io.errColors.red(name))}: ${err.message}\n`);
  return false;
}

export async function runImport(
  session: Session,
  file: string,
  table: string,
  keys: string[],
  signal?: AbortSignal,
  flags: readonly string[] = [],
): Promise<boolean> {
  const dump = await loadDump(session, '.import');
  if (!dump) return false;
  const c = session.io.colors;
  const progress = progressLine(session);
  let report: ImportReport;
  try {
    // Every option of `sortkey import`, read by the same parser.
    const { parseImportArgs } = await import('../cli/import.js');
    const parsed = parseImportArgs(flags);
    if (parsed.files.length > 0) throw new Error(`unexpected argument ${parsed.files[0]}`);
    const target = targetOf(session.backend);
    report = await dump.importItems(target, file, {
      ...parsed.options,
      table,
      ...(keys[0] ? { partitionKey: dump.parseKeySpec(keys[0]) } : {}),
      ...(keys[1] ? { sortKey: dump.parseKeySpec(keys[1]) } : {}),
      ...(signal ? { signal } : {}),
      ...(progress
        ? { onProgress: (p) => progress(`${p.phase === 'read' ? 'reading' : 'writing'} ${p.items} items…`) }
        : {}),
    });
  } catch (e) {
    failure(session, 'ImportError', e);
    if (/--pk/.test((e as Error).message)) {
      session.io.err(
        session.io.errColors.dim(
          `hint: in the shell, give the keys after the table: .import FILE ${table} pk:S [sk:N]\n`,
        ),
      );
    }
    return false;
  } finally {
    session.io.status?.(null);
  }
  const created = report.tables.filter((t) => t.created).map((t) => t.table);
  const into = report.tables.map((t) => t.table).join(', ') || table;
  if (report.committed) {
    session.io.out(
      `${c.green('Imported')} ${plural(report.written, 'item')} into ${into}${created.length ? ` (created ${created.join(', ')})` : ''} ${c.dim(`from ${report.format} · ${formatBytes(report.bytes)} · ${report.seconds.toFixed(1)} s`)}\n`,
    );
  } else {
    session.io.err(
      `${session.io.errColors.red('Nothing imported')}: ${plural(report.rejected, 'record')} refused (the import is all or nothing)\n`,
    );
  }
  for (const p of report.problems.slice(0, SHOWN_PROBLEMS)) {
    session.io.err(`  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.reason}\n`);
  }
  if (report.problems.length > SHOWN_PROBLEMS || report.rejected > report.problems.length) {
    session.io.err(
      `  … ${plural(report.rejected - Math.min(report.problems.length, SHOWN_PROBLEMS), 'more problem')}\n`,
    );
  }
  for (const w of [...report.warnings, ...report.tables.flatMap((t) => t.warnings)]) {
    session.io.err(session.io.errColors.yellow(`warning: ${w}\n`));
  }
  return report.committed;
}

export async function runExport(
  session: Session,
  what: string,
  file: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const dump = await loadDump(session, '.export');
  if (!dump) return false;
  const c = session.io.colors;
  const progress = progressLine(session);
  const spec = /^\s*select\s/i.test(what)
    ? { statement: what, ...(session.parameters.length ? { parameters: session.parameters } : {}) }
    : { table: what };
  let report: ExportReport;
  try {
    const target = targetOf(session.backend);
    report = await dump.exportTable(target, spec, file, {
      ...(signal ? { signal } : {}),
      ...(progress ? { onProgress: (p) => progress(`exporting ${p.items} items…`) } : {}),
    });
  } catch (e) {
    return failure(session, 'ExportError', e);
  } finally {
    session.io.status?.(null);
  }
  const where = report.files.length > 1 ? `${report.files.length} files in ${file}` : file;
  session.io.out(
    `${c.green('Exported')} ${plural(report.items, 'item')} to ${where} ${c.dim(`as ${report.format} · ${formatBytes(report.bytes)} · ${report.seconds.toFixed(1)} s`)}\n`,
  );
  return true;
}
