// `sortkey shell`: the PartiQL shell, interactive or scripted. The shell itself lives in main/shell.
import { Option } from 'commander';
import type { Command } from 'commander';
import { defaultDatabasePath } from '../defaults.js';
import { CONSISTENCY_HELP, consistencyArgument, consistencySeedArgument } from './serve.js';
import type { ShellOptions } from '../shell/index.js';

export function register(program: Command): void {
  program
    .command('shell')
    .description('PartiQL shell: interactive, or run statements from -c, -f or stdin')
    .option(
      '--db <file>',
      `SQLite database file (default: ${defaultDatabasePath()}, the one sortkey serve uses)`,
    )
    .option('--in-memory', 'a scratch database that vanishes on exit')
    .option('--endpoint <url>', 'a DynamoDB-compatible endpoint (sortkey serve, DynamoDB Local, …)')
    .option(
      '--region <region>',
      'with --db/--in-memory: whose tables (each region has its own); alone: DynamoDB itself there',
    )
    .option('--profile <profile>', 'AWS credentials profile (~/.aws/config)')
    .option('-c, --command <statements>', 'run these statements (separated by ;) and exit')
    .option('-f, --file <script>', 'run a script file (- for stdin) and exit')
    .option('--read-only', 'refuse writes, and a database file that does not exist (no new file is made)')
    .option('--json', 'print results as JSON arrays (plain JSON, numbers digit for digit)')
    .option('--ndjson', 'print results as one JSON object per line')
    .option(
      '--mode <mode>',
      'output mode: table, line (one attribute per line), json, ndjson, ddbjson or csv',
    )
    .option(
      '--numbers <style>',
      'JSON numbers: exact (bare, every digit) or string ("123…", for tools that round big numbers)',
    )
    .option('--max-items <n>', 'stop each SELECT after n items, paging with Limit (PartiQL has no LIMIT)')
    .option('--params <values>', 'values for ? placeholders, e.g. "\'customer#1\' 10"')
    .option(
      '--continue',
      'in scripts, keep going after a failed statement (the exit status still reports it)',
    )
    .option('--timing', 'show elapsed time under results (on in the interactive shell)')
    .option('--capacity', 'show consumed capacity under results (on in the interactive shell)')
    .option('--no-pager', 'print long results without paging ($PAGER or the built-in pager)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .addOption(
      new Option(
        '--error-wording <wording>',
        "word the local engine's errors as DynamoDB's new request validation (new, the default) or the old one (old)",
      ).choices(['new', 'old']),
    )
    .option(
      '--replication-delay <ms>',
      "with --db/--in-memory: how long global table replicas take to receive each other's writes (default 100)",
    )
    .option('--consistency <strong|eventual[:MS]>', CONSISTENCY_HELP.consistency, consistencyArgument)
    .option('--consistency-seed <n>', CONSISTENCY_HELP.seed, consistencySeedArgument)
    .option('-q, --quiet', 'print results and errors only (no banner, no "Created new database")')
    .addHelpText(
      'after',
      `
Statements end with ; and may span lines. Lines starting with . are shell commands (.help lists them).
Without -c or -f, statements are read from stdin when it is not a terminal.
BEGIN; … COMMIT; runs the statements between as one ExecuteTransaction (ROLLBACK drops them);
BEGIN BATCH; … END; runs them as one BatchExecuteStatement, each with its own result.

JSON numbers are written digit for digit (--numbers exact). Python's json, jq 1.7 and later, and
JSON.parse with a reviver keep big numbers exact; jq 1.6 and plain JavaScript turn them into
doubles (12345678901234567890 becomes 12345678901234567000): use --numbers string for those.

Exit status: 0 ok, 1 a statement failed, 2 a usage mistake (bad flag, missing --db with --read-only).

Examples:
  sortkey shell                                         # the default database, interactively
  sortkey shell --in-memory
  sortkey shell -c "SELECT * FROM Orders WHERE pk = 'customer#1'" --json
  sortkey shell -f seed.sql --continue
  sortkey shell --db ./dev.sqlite --read-only -c "SELECT * FROM Orders" --json --numbers string
  echo "SELECT * FROM Orders;" | sortkey shell --ndjson
  sortkey shell --db ./dev.sqlite --region eu-west-1    # the tables an app made in eu-west-1
  sortkey shell --endpoint http://127.0.0.1:8000        # a running sortkey serve or DynamoDB Local
  sortkey shell --region eu-west-1 --profile prod       # DynamoDB itself`,
    )
    .action(async (opts: ShellOptions) => {
      // The engine and the shell load only when the shell runs: `sortkey --help` stays quick.
      const { runShell } = await import('../shell/index.js');
      const status = await runShell(opts);
      process.exitCode = status;
    });
}
