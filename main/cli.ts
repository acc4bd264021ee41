// The `sortkey` command. Each subcommand lives in main/cli/<name>.ts and exports
// `register(program)`; add new ones to COMMANDS below.
import { Command } from 'commander';
import { registerAlarms, registerScaling } from './cli/automation.js';
import * as audit from './cli/audit.js';
import * as dump from './cli/dump.js';
import { rewriteDynamoDbLocalArgs } from './cli/dynamodbLocal.js';
import * as exportCommand from './cli/export.js';
import * as importCommand from './cli/import.js';
import * as restore from './cli/restore.js';
import * as serve from './cli/serve.js';
import * as shell from './cli/shell.js';
import * as stats from './cli/stats.js';
import * as stream from './cli/stream.js';
import { packageVersion } from './cli/version.js';

type RegisterCommand = (program: Command) => void;

/** Subcommands, in the order `sortkey --help` lists them. */
const COMMANDS: RegisterCommand[] = [
  serve.register,
  shell.register,
  importCommand.register,
  exportCommand.register,
  dump.register,
  restore.register,
  stream.register,
  stats.register,
  registerScaling,
  registerAlarms,
  audit.register,
];

export function createProgram(): Command {
  const program = new Command('sortkey')
    .description('A local DynamoDB-compatible database, with a PartiQL shell and a studio')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Commander exits 1 on a usage mistake (unknown option, missing argument); the help promises 2,
    // which scripts can tell apart from a failed operation. Subcommands inherit this.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  for (const register of COMMANDS) register(program);
  return program;
}

// The AWS SDK warns on Node 20 about its own future releases (remote commands load it): noise the
// user can do nothing about, and it would break `-q`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Not a top-level await: the bundle that runs this is CommonJS (scripts/bundle.js), which has none.
// A rejection is an unhandled one, which Node reports and exits 1 on, as it did for the await.
void createProgram().parseAsync(rewriteDynamoDbLocalArgs(process.argv.slice(2)), { from: 'user' });
