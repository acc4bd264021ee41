// The audit log's defaults, apart from its code so that the CLI can show them without loading it.

/** Size at which the audit file is rotated. */
export const DEFAULT_AUDIT_MAX_BYTES = 100 * 1024 * 1024;
/** Rotated audit files kept beside the current one. */
export const DEFAULT_AUDIT_KEEP = 5;

/** The name of the `n`th rotated file of `file` (1: the newest), logrotate's naming. */
export function rotatedName(file: string, n: number): string {
  return `${file}.${n}`;
}
