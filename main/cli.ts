// The `sortkey` command. Each subcommand lives in main/cli/<name>.ts and exports
// `register(program)`; add new ones to COMMANDS below.
import { Command } from 'commander';
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
];

export function createProgram(): Command {
  const program = new Command('sortkey')
    .description('A local DynamoDB-compatible database, with a PartiQL shell and a studio')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)');
  for (const register of COMMANDS) register(program);
  return program;
}

await createProgram().parseAsync(rewriteDynamoDbLocalArgs(process.argv.slice(2)), { from: 'user' });
