// `sortkey serve --alarm-exec CMD`: runs CMD on every alarm state change. The command line is the
// user's own, split into words here (quotes group, as in a shell, nothing else is interpreted) and
// started without a shell; what describes the alarm and its transition travels only in environment
// variables (SORTKEY_ALARM_*), never in the command line, so no alarm name or reason can inject.
import { spawn } from 'node:child_process';
import type { AlarmStateChange } from '../../engine/index.js';

/** Splits a command line into words: whitespace separates, '…' and "…" group, \ escapes in "…". */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`--alarm-exec: unterminated ${quote} in the command`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new Error('--alarm-exec needs a command');
  return words;
}

/** The environment variables a command run on a state change receives (besides the server's own). */
export function alarmEnvironment(change: AlarmStateChange): Record<string, string> {
  return {
    SORTKEY_ALARM_NAME: change.AlarmName,
    SORTKEY_ALARM_OLD_STATE: change.OldState,
    SORTKEY_ALARM_NEW_STATE: change.NewState,
    SORTKEY_ALARM_REASON: change.Reason,
    SORTKEY_ALARM_METRIC: change.MetricName,
    SORTKEY_ALARM_STATISTIC: change.Statistic,
    SORTKEY_ALARM_COMPARISON: change.ComparisonOperator,
    SORTKEY_ALARM_THRESHOLD: String(change.Threshold),
    SORTKEY_ALARM_TABLE: change.TableName ?? '',
    SORTKEY_ALARM_INDEX: change.IndexName ?? '',
    SORTKEY_ALARM_REGION: change.Region,
    SORTKEY_ALARM_ACCOUNT: change.AccountId,
    SORTKEY_ALARM_TIME: new Date(change.Timestamp * 1000).toISOString(),
    SORTKEY_ALARM_JSON: JSON.stringify(change),
  };
}

/**
 * A listener for `Engine.onAlarmStateChange` that runs `command` (split by splitCommand) for each
 * change, detached from the request path: its output goes to this process's, a failure to start
 * or a non-zero exit is reported through `log`.
 */
export function alarmExecListener(
  command: string,
  log: (line: string) => void = (line) => console.error(line),
): (change: AlarmStateChange) => void {
  const [program, ...args] = splitCommand(command);
  return (change) => {
    const child = spawn(program!, args, {
      shell: false,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...alarmEnvironment(change) },
    });
    child.on('error', (e) => log(`sortkey: --alarm-exec ${program}: ${e.message}`));
    child.on('exit', (code, signal) => {
      if (code !== 0)
        log(
          `sortkey: --alarm-exec ${program} for ${change.AlarmName} ended with ${signal ?? `exit code ${code}`}`,
        );
    });
  };
}
