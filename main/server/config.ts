// Defaults and option parsing of the endpoint, kept apart from the server so the CLI can read them
// without loading the engine.

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_REGION = 'us-east-1';
/** Connections open at once beyond which new ones are refused (and a line is logged). */
export const DEFAULT_MAX_CONNECTIONS = 1000;
/**
 * Read workers of `sortkey serve` (engine/workers): threads that serve reads which may be slow
 * (Query, Scan, BatchGetItem, TransactGetItems, PartiQL SELECT) beside the writer, one per core
 * the main thread leaves, at least one. startServer() itself defaults to 0 (tests, the studio).
 */
export const DEFAULT_READ_WORKERS = 1;

/** Size at which the audit log (`--audit`, main/audit) is rotated. */
export const DEFAULT_AUDIT_MAX_BYTES = 100 * 1024 * 1024;
/** Rotated audit files kept beside the current one. */
export const DEFAULT_AUDIT_KEEP = 5;

/**
 * Parses `KEY:SECRET,KEY2:SECRET2` (the `--auth-keys` / SORTKEY_ACCESS_KEYS format). Entries may
 * also be on separate lines (an `--auth-keys-file`), where lines starting with `#` are comments.
 */
export function parseAccessKeys(spec: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of spec.split(/[,\r\n]/)) {
    const entry = part.trim();
    if (!entry || entry.startsWith('#')) continue;
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) {
      throw new Error(`invalid access key entry '${entry}': expected ACCESS_KEY_ID:SECRET_ACCESS_KEY`);
    }
    keys.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return keys;
}
