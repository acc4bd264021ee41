// `--policies FILE`: identity-based IAM policies per access key, `{ "<access key id>": [<policy
// document>, …] }` (a single document may stand without the list). The file is read at start (a
// bad one stops the server with the reason) and again whenever it changes; a change that does
// not parse is logged and the previous policies stay in force.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Stats } from 'node:fs';
// The policy language only (a small module): the engine itself is loaded later, if at all.
import { PolicyError, parsePolicy } from '../../engine/access/policy.js';
import type { PolicyDocument } from '../../engine/access/policy.js';

export type IdentityPolicies = ReadonlyMap<string, readonly PolicyDocument[]>;

/** Parses the policies file's text; throws an Error naming the key and document at fault. */
export function parsePoliciesText(text: string, source = 'the policies file'): IdentityPolicies {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${source} must be a JSON object: { "<access key id>": [<policy document>, …] }`);
  const out = new Map<string, PolicyDocument[]>();
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const docs = Array.isArray(value) ? value : [value];
    out.set(
      key,
      docs.map((doc, i) => {
        try {
          return parsePolicy(doc, 'identity');
        } catch (e) {
          if (e instanceof PolicyError)
            throw new Error(
              `${source}: access key ${key}, policy ${i + 1}: Invalid policy document: ${e.message}`,
            );
          throw e;
        }
      }),
    );
  }
  return out;
}

/** The policies of a file, kept current while the server runs. */
export class PolicyFile {
  private current: IdentityPolicies;
  private readonly listener = (now: Stats, before: Stats): void => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size && now.ino === before.ino) return;
    this.reload();
  };

  constructor(
    readonly path: string,
    private readonly log: (line: string) => void,
    /** How often the file's modification time is looked at (milliseconds). */
    intervalMs = 500,
  ) {
    this.current = this.read();
    watchFile(path, { interval: intervalMs, persistent: false }, this.listener);
  }

  /** The identity policies of `accessKeyId`, or undefined when the file gives it none. */
  policiesOf(accessKeyId: string): readonly PolicyDocument[] | undefined {
    return this.current.get(accessKeyId);
  }

  /** Reads the file again; on failure logs why and keeps the policies in force. True when it took. */
  reload(): boolean {
    try {
      this.current = this.read();
      this.log(`sortkey: policies reloaded from ${this.path} (${this.current.size} access keys)`);
      return true;
    } catch (e) {
      this.log(`sortkey: ${(e as Error).message}; the previous policies stay in force`);
      return false;
    }
  }

  close(): void {
    unwatchFile(this.path, this.listener);
  }

  private read(): IdentityPolicies {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      throw new Error(`cannot read the policies file ${this.path}: ${(e as Error).message}`);
    }
    return parsePoliciesText(text, `the policies file ${this.path}`);
  }
}
