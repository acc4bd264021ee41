// The PartiQL editor's language services: completion from the grammar's content assist (with live
// table, index and attribute names) and parse errors as markers while typing.
import { parseStatement, suggest } from '../../../grammar/partiql/index.js';
import type { SchemaProvider, SuggestionKind } from '../../../grammar/partiql/index.js';
import { splitStatements, statementAt } from '../lib/statements.js';
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

/** Completion for every PartiQL model, answered from `schema`. */
export function registerCompletion(schema: SchemaProvider): void {
  provider?.dispose();
  provider = monaco.languages.registerCompletionItemProvider(PARTIQL, {
    triggerCharacters: ['.', '"'],
    provideCompletionItems(model, position) {
      const text = model.getValue();
      const offset = model.getOffsetAt(position);
      const stmt = statementAt(text, offset);
      // The statement around the cursor (or, on an empty line, nothing before it).
      const start = stmt && offset >= stmt.start && offset <= stmt.end + 1 ? stmt.start : offset;
      const end = stmt && start === stmt.start ? Math.max(stmt.end, offset) : offset;
      const chunk = text.slice(start, end);
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
  });
}

export interface StatementProblem {
  message: string;
  hint: string;
  start: number;
  end: number;
}

/** Parse problems of every statement in `text`, with offsets into the whole text. */
export function problemsOf(text: string): StatementProblem[] {
  const out: StatementProblem[] = [];
  for (const s of splitStatements(text)) {
    const r = parseStatement(s.text);
    if (r.ok) continue;
    const e = r.errors[0]!;
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
