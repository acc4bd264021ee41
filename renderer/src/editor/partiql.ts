// The PartiQL editor's language services: completion from the grammar's content assist (with live
// table, index and attribute names) and parse errors as markers while typing.
import { parseStatement, suggest } from '../../../grammar/partiql/index.js';
import type { SchemaProvider, SuggestionKind } from '../../../grammar/partiql/index.js';
import { splitStatements, splitWork, statementNear } from '../lib/statements.js';
import type { StatementRange } from '../lib/statements.js';
import { PARTIQL, monaco, rangeOf } from './monaco.js';

const KIND: Record<SuggestionKind, monaco.languages.CompletionItemKind> = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  table: monaco.languages.CompletionItemKind.Class,
  index: monaco.languages.CompletionItemKind.Interface,
  attribute: monaco.languages.CompletionItemKind.Field,
  function: monaco.languages.CompletionItemKind.Function,
};

// Tables before attributes before functions before keywords.
const ORDER: Record<SuggestionKind, string> = {
  table: '0',
  index: '1',
  attribute: '2',
  function: '3',
  keyword: '4',
};

let provider: monaco.IDisposable | undefined;
let completions: monaco.languages.CompletionItemProvider | undefined;

/**
 * The statement at a position of a model, reading only the lines of its block (not the whole
 * buffer: this runs on every keystroke and cursor move).
 */
export function statementAtPosition(
  model: monaco.editor.ITextModel,
  position: monaco.IPosition,
): StatementRange | undefined {
  return statementNear(
    model.getLineCount(),
    (i) => model.getLineContent(i),
    (i) => model.getOffsetAt({ lineNumber: i, column: 1 }),
    position.lineNumber,
    position.column - 1,
    model.getEOL(),
  );
}

/** Completion for every PartiQL model, answered from `schema`. */
export function registerCompletion(schema: SchemaProvider): void {
  provider?.dispose();
  completions = {
    triggerCharacters: ['.', '"'],
    provideCompletionItems(model, position) {
      const offset = model.getOffsetAt(position);
      const stmt = statementAtPosition(model, position);
      // The statement around the cursor (or, on an empty line, nothing before it).
      const start = stmt && offset >= stmt.start && offset <= stmt.end + 1 ? stmt.start : offset;
      const end = stmt && start === stmt.start ? Math.max(stmt.end, offset) : offset;
      const chunk = stmt && start === stmt.start ? stmt.text.slice(0, end - start) : '';
      const suggestions = suggest(chunk, offset - start, schema).map((s, i) => ({
        label: s.label,
        kind: KIND[s.kind],
        insertText: s.insertText,
        detail: s.detail ?? s.kind,
        sortText: ORDER[s.kind] + String(i).padStart(4, '0'),
        range: rangeOf(model, start + s.replace.offset, start + s.replace.offset + s.replace.length),
      }));
      return { suggestions };
    },
  };
  provider = monaco.languages.registerCompletionItemProvider(PARTIQL, completions);
}

if (window.sortkeyStudioTest) {
  window.sortkeyStudioTest.splitWork = () => ({ ...splitWork });
  window.sortkeyStudioTest.timeKeystrokes = (container, text) => {
    const ed = monaco.editor.getEditors().find((e) => container.contains(e.getContainerDomNode()))!;
    const model = ed.getModel()!;
    const typeMs: number[] = [];
    const completionMs: number[] = [];
    for (const ch of text) {
      let t = performance.now();
      ed.trigger('keyboard', 'type', { text: ch });
      typeMs.push(performance.now() - t);
      t = performance.now();
      void completions?.provideCompletionItems(
        model,
        ed.getPosition()!,
        { triggerKind: monaco.languages.CompletionTriggerKind.Invoke },
        new monaco.CancellationTokenSource().token,
      );
      completionMs.push(performance.now() - t);
    }
    return { typeMs, completionMs };
  };
}

export interface StatementProblem {
  message: string;
  hint: string;
  start: number;
  end: number;
}

/** Parse results by statement text: typing changes one statement, the others are not parsed again. */
const parsed = new Map<string, { message: string; hint: string; offset: number; length: number } | null>();

function firstError(text: string): { message: string; hint: string; offset: number; length: number } | null {
  let e = parsed.get(text);
  if (e === undefined) {
    const r = parseStatement(text);
    e = r.ok ? null : r.errors[0]!;
    if (e) e = { ...e, ...leadingWord(text, e) };
    if (parsed.size > 2000) parsed.clear();
    parsed.set(text, e);
  }
  return e;
}

const STATEMENT_WORDS =
  /^(select|insert|update|delete|exists|explain|with|create|drop|replace|upsert|set|remove|from|value)$/i;

/**
 * A statement that does not start with a statement keyword (`SELEC * FROM t`) is marked at that
 * first word, where the mistake is, rather than at the token the parser stumbled on after it.
 */
function leadingWord(
  text: string,
  e: { offset: number; length: number; hint: string },
): { offset: number; length: number; hint: string } {
  const m = /^(\s*)([A-Za-z_]\w*)/.exec(text);
  if (!m || STATEMENT_WORDS.test(m[2]!)) return e;
  const offset = m[1]!.length;
  if (e.offset < offset) return e;
  const word = m[2]!;
  const known = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXPLAIN'];
  const near = known.find((k) => k.startsWith(word.toUpperCase().slice(0, 3)));
  return {
    offset,
    length: word.length,
    hint: `'${word}' does not start a statement${near ? ` (did you mean ${near}?)` : ''}: a statement starts with SELECT, INSERT, UPDATE or DELETE`,
  };
}

/** Parse problems of every statement in `text`, with offsets into the whole text. */
export function problemsOf(text: string): StatementProblem[] {
  const out: StatementProblem[] = [];
  for (const s of splitStatements(text)) {
    const e = firstError(s.text);
    if (!e) continue;
    const start = s.start + e.offset;
    // A problem at the end of the statement (length 0) underlines its last character.
    const end = e.length > 0 ? start + e.length : start;
    out.push({
      message: e.message,
      hint: e.hint,
      start: e.length > 0 ? start : Math.max(s.start, start - 1),
      end: e.length > 0 ? end : Math.max(start, s.start + 1),
    });
  }
  return out;
}

/** Keeps parse-error markers on a model current as it changes (debounced). */
export function attachDiagnostics(
  model: monaco.editor.ITextModel,
  onProblems?: (p: StatementProblem[]) => void,
): monaco.IDisposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    const problems = problemsOf(model.getValue());
    monaco.editor.setModelMarkers(
      model,
      'partiql',
      problems.map((p) => ({
        severity: monaco.MarkerSeverity.Error,
        message: p.hint && p.hint !== p.message ? `${p.hint}\n${p.message}` : p.message,
        ...rangeOf(model, p.start, p.end),
      })),
    );
    onProblems?.(problems);
  };
  run();
  const sub = model.onDidChangeContent(() => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  return {
    dispose: () => {
      clearTimeout(timer);
      sub.dispose();
    },
  };
}
