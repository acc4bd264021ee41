// Defaults and option parsing of the endpoint, kept apart from the server so the CLI can read them
// without loading the engine.

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_REGION = 'us-east-1';

/** Parses `KEY:SECRET,KEY2:SECRET2` (the `--auth-keys` / SORTKEY_ACCESS_KEYS format). */
export function parseAccessKeys(spec: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of spec.split(',')) {
    const entry = part.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) {
      throw new Error(`invalid access key entry '${entry}': expected ACCESS_KEY_ID:SECRET_ACCESS_KEY`);
    }
    keys.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return keys;
}
