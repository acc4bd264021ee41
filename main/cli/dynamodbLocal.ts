// DynamoDB Local's command-line flags, so `sortkey serve` is a drop-in for
// `java -jar DynamoDBLocal.jar -sharedDb -port 8000`: its single-dash camelCase flags are rewritten
// to Sortkey's options before commander parses (commander would read `-port` as `-p ort`).

const FLAGS: Readonly<Record<string, string>> = {
  '-port': '--port',
  '-inMemory': '--in-memory',
  '-dbPath': '--db-path',
  '-sharedDb': '--shared-db',
  '-cors': '--cors',
  '-delayTransientStatuses': '--delay-transient-statuses',
  '-optimizeDbBeforeStartup': '--optimize-db-before-startup',
  '-disableTelemetry': '--disable-telemetry',
  '-help': '--help',
};

/** True for a DynamoDB Local flag (`-sharedDb`, `-port`, …). */
export function isDynamoDbLocalFlag(arg: string): boolean {
  return Object.prototype.hasOwnProperty.call(FLAGS, arg);
}

/**
 * Rewrites DynamoDB Local's flags to Sortkey's. Arguments that start with one of them and name no
 * subcommand (`sortkey -inMemory -port 8001`) are taken as `sortkey serve …`. Nothing after `--`
 * is touched.
 */
export function rewriteDynamoDbLocalArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of args) {
    if (passthrough) {
      out.push(arg);
      continue;
    }
    if (arg === '--') {
      passthrough = true;
      out.push(arg);
      continue;
    }
    out.push(isDynamoDbLocalFlag(arg) ? FLAGS[arg]! : arg);
  }
  if (args.length > 0 && isDynamoDbLocalFlag(args[0]!) && args[0] !== '-help') out.unshift('serve');
  return out;
}
