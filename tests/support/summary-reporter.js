// A node:test reporter: one line per test file, the full story of every failure, and a closing
// line `N passed, N failed[, N skipped]` that counts tests (not suites).
import { relative } from 'node:path';
import { inspect } from 'node:util';

export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const perFile = new Map();
  const failures = [];
  const fileOf = (data) => (data.file ? relative(process.cwd(), data.file) : '(unknown file)');

  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:pass' || type === 'test:fail') {
      const isSuite = data.details?.type === 'suite';
      const file = fileOf(data);
      const stats = perFile.get(file) ?? { passed: 0, failed: 0, skipped: 0 };
      perFile.set(file, stats);
      if (isSuite) {
        // A suite fails on its own only when a hook or its body throws outside any test.
        const err = data.details?.error;
        if (type === 'test:fail' && err && err.failureType !== 'subtestsFailed') {
          failed++;
          stats.failed++;
          failures.push({ file, name: data.name, error: err });
        }
        continue;
      }
      if (data.skip || data.todo) {
        skipped++;
        stats.skipped++;
      } else if (type === 'test:pass') {
        passed++;
        stats.passed++;
      } else {
        failed++;
        stats.failed++;
        failures.push({ file, name: data.name, error: data.details?.error });
        yield `  ✖ ${file} › ${data.name}\n`;
      }
    } else if (
      type === 'test:diagnostic' &&
      /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(data.message)
    ) {
      // the runner's own totals: ours replace them
    } else if (type === 'test:stderr' || type === 'test:stdout') {
      if (process.env.SORTKEY_TEST_VERBOSE) yield data.message;
    }
  }
  for (const [file, s] of [...perFile].sort()) {
    const mark = s.failed ? '✖' : '✔';
    yield `${mark} ${file}: ${s.passed} passed${s.failed ? `, ${s.failed} failed` : ''}${s.skipped ? `, ${s.skipped} skipped` : ''}\n`;
  }
  for (const f of failures) {
    yield `\nFAILED ${f.file} › ${f.name}\n${indent(describe(f.error))}\n`;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}

function describe(error) {
  if (!error) return '(no error reported)';
  const cause = error.cause ?? error;
  return cause?.stack ?? inspect(cause, { depth: 4 });
}

function indent(text) {
  return String(text)
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');
}
