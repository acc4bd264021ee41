// Dumps: import and export of items and whole databases, streaming, lossless, validated by the
// engine's own rules. Engine-level API (no terminal code): the CLI (`sortkey import|export|dump|
// restore`), the shell's .import/.export and the studio's import/export dialog all call these.
// See docs/architecture.md, "Dumps".
export { defaultReadThreads, importItems, restoreDatabase, DumpError } from './import.js';
export {
  exportTable,
  dumpDatabase,
  formatForPath,
  rowsOf,
  localTableRows,
  statementTable,
} from './export.js';
export type { DumpOptions } from './export.js';
export { detectFormat } from './detect.js';
export type { Detection } from './detect.js';
export { createWriter, csvValue, rowItem, rowJson } from './writers.js';
export type { ExportRow, ItemWriter, TableContext, WriterOptions } from './writers.js';
export { RemoteConnection } from './remote.js';
export type { RemoteOptions } from './remote.js';
export { isRemote, listTableNames, localEngineOf, tableInfo } from './store.js';
export type { DumpTarget, TableInfo } from './store.js';
export { createInputFromDescription, definitionFromKeys, parseKeySpec } from './definition.js';
export { locateExport } from './exportFolder.js';
export type { ExportFolder } from './exportFolder.js';
export { parseExact, JsonNumber } from './json/exact.js';
export {
  plainToItem,
  plainToValue,
  itemToPlainJson,
  valueToPlainJson,
  looksLikeDynamoItem,
  DEFAULT_BINARY_PREFIX,
} from './json/plain.js';
export type { PlainOptions } from './json/plain.js';
export { CsvReader, csvLine, CSV_DELIMITERS } from './csv.js';
export type { ImportSource } from './io/input.js';
export type { ExportDestination } from './io/output.js';
export { DUMP_VERSION } from './readers.js';
export * from './types.js';
