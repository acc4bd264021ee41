// Monaco, bundled by Vite (no CDN): the editor core, the editor worker (its own file, loaded when
// an editor starts), a light theme, and two languages of our own: PartiQL (tokens from the
// grammar's highlighter) and a small JSON tokenizer for the item editor (validation is ours, so no
// JSON worker is needed). None of Monaco's languages or language workers is bundled, and of its
// editor features only those a statement and an item editor use (not register.all: the diff
// editor, sticky scroll, code lenses, colour picker, inline completions, the command palette and
// the like were most of the studio's bundle). tests/unit/studio/bundle.test.ts keeps it so.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
// Typing and moving around.
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/wordPartOperations/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/readOnlyMessage/register';
// Find/replace, completion (with snippets), problems on hover and F8, go to line.
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
// The completion widget itself (register.all gets it only through inline completions).
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/gotoError/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { highlightTokens } from '../../../grammar/partiql/index.js';
import type { HighlightCategory } from '../../../grammar/partiql/index.js';
import { currentTheme, onThemeChange } from '../ui/theme.js';
import type { Theme } from '../ui/theme.js';

export { monaco };

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export const PARTIQL = 'partiql';
export const ITEM_JSON = 'sortkey-json';

const TOKEN_CLASS: Record<HighlightCategory, string> = {
  keyword: 'keyword',
  string: 'string',
  number: 'number',
  identifier: 'identifier',
  quotedIdentifier: 'identifier.quoted',
  operator: 'operator',
  comment: 'comment',
  parameter: 'variable.parameter',
  punctuation: 'delimiter',
  function: 'predefined',
};

class LineState implements monaco.languages.IState {
  constructor(readonly inComment: boolean) {}
  clone(): LineState {
    return new LineState(this.inComment);
  }
  equals(other: monaco.languages.IState): boolean {
    return other instanceof LineState && other.inComment === this.inComment;
  }
}

/** Tokens of one line, from the grammar's highlighter; block comments carry over between lines. */
function tokenizeLine(line: string, state: LineState): monaco.languages.ILineTokens {
  const tokens: monaco.languages.IToken[] = [];
  let from = 0;
  if (state.inComment) {
    const end = line.indexOf('*/');
    tokens.push({ startIndex: 0, scopes: 'comment' });
    if (end < 0) return { tokens, endState: new LineState(true) };
    from = end + 2;
  }
  const rest = line.slice(from);
  let inComment = false;
  let last = from;
  for (const t of highlightTokens(rest)) {
    const start = from + t.offset;
    if (start > last) tokens.push({ startIndex: last, scopes: '' });
    tokens.push({ startIndex: start, scopes: TOKEN_CLASS[t.category] });
    last = start + t.length;
    const image = rest.slice(t.offset, t.offset + t.length);
    inComment =
      t.category === 'comment' && image.startsWith('/*') && !(image.length >= 4 && image.endsWith('*/'));
  }
  if (last < line.length) tokens.push({ startIndex: last, scopes: '' });
  return { tokens, endState: new LineState(inComment) };
}

let registered = false;

/** Registers the languages and theme once. */
export function setupMonaco(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: PARTIQL, aliases: ['PartiQL'], extensions: ['.partiql'] });
  monaco.languages.setTokensProvider(PARTIQL, {
    getInitialState: () => new LineState(false),
    tokenize: (line, state) => tokenizeLine(line, state as LineState),
  });
  monaco.languages.setLanguageConfiguration(PARTIQL, {
    comments: { lineComment: '--', blockComment: ['/*', '*/'] },
    brackets: [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
      ['<<', '>>'],
    ],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '[', close: ']' },
      { open: '{', close: '}' },
      { open: "'", close: "'", notIn: ['string', 'comment'] },
      { open: '"', close: '"', notIn: ['string', 'comment'] },
    ],
    wordPattern: /[A-Za-z_$][A-Za-z0-9_$]*/,
  });

  monaco.languages.register({ id: ITEM_JSON, aliases: ['JSON'] });
  monaco.languages.setMonarchTokensProvider(ITEM_JSON, {
    tokenizer: {
      root: [
        [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
        [/"(?:[^"\\]|\\.)*"/, 'string'],
        [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
        [/\b(?:true|false|null)\b/, 'keyword'],
        [/[{}[\],:]/, 'delimiter'],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(ITEM_JSON, {
    brackets: [
      ['{', '}'],
      ['[', ']'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '"', close: '"', notIn: ['string'] },
    ],
  });

  const rules = (dark: boolean): monaco.editor.ITokenThemeRule[] => [
    { token: 'keyword', foreground: dark ? '93c5fd' : '1d4ed8', fontStyle: 'bold' },
    { token: 'string', foreground: dark ? 'fbbf24' : 'b45309' },
    { token: 'number', foreground: dark ? '34d399' : '047857' },
    { token: 'identifier', foreground: dark ? 'e5e7eb' : '111827' },
    { token: 'identifier.quoted', foreground: dark ? 'c4b5fd' : '7c3aed' },
    { token: 'operator', foreground: dark ? '9ca3af' : '6b7280' },
    { token: 'comment', foreground: dark ? '6b7280' : '9ca3af', fontStyle: 'italic' },
    { token: 'variable.parameter', foreground: dark ? 'f472b6' : 'db2777', fontStyle: 'bold' },
    { token: 'delimiter', foreground: dark ? '9ca3af' : '6b7280' },
    { token: 'predefined', foreground: dark ? '67e8f9' : '0e7490' },
    { token: 'type', foreground: dark ? '93c5fd' : '1e40af' },
  ];
  monaco.editor.defineTheme('sortkey', {
    base: 'vs',
    inherit: true,
    rules: rules(false),
    colors: {
      'editor.background': '#ffffff',
      'editorLineNumber.foreground': '#c0c4cc',
    },
  });
  monaco.editor.defineTheme('sortkey-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: rules(true),
    colors: {
      'editor.background': '#111827',
      'editorLineNumber.foreground': '#4b5563',
    },
  });
  // Monaco's theme is global: every editor follows the studio's.
  const themeFor = (theme: Theme): string => (theme === 'dark' ? 'sortkey-dark' : 'sortkey');
  monaco.editor.setTheme(themeFor(currentTheme()));
  onThemeChange((theme) => monaco.editor.setTheme(themeFor(theme)));
}

/** Offset ↔ position helpers for a model. */
export function rangeOf(model: monaco.editor.ITextModel, start: number, end: number): monaco.IRange {
  const a = model.getPositionAt(start);
  const b = model.getPositionAt(Math.max(end, start));
  return {
    startLineNumber: a.lineNumber,
    startColumn: a.column,
    endLineNumber: b.lineNumber,
    endColumn: b.column,
  };
}

declare global {
  interface Window {
    /** For the e2e tests: set an editor's text without going through the keyboard (auto-closing). */
    sortkeyStudioTest?: {
      setEditorText(container: Element, text: string): void;
      editorText(container: Element): string;
      /** The error markers of an editor's model: where its squiggles are. */
      markers?(
        container: Element,
      ): { line: number; startColumn: number; endColumn: number; message: string }[];
      /** Characters the statement splitter has tokenised (whole-buffer passes show up here). */
      splitWork?(): { characters: number; calls: number };
      /** Types `text` one character at a time; the time of each keystroke and of its completion. */
      timeKeystrokes?(container: Element, text: string): { typeMs: number[]; completionMs: number[] };
    };
  }
}

function editorIn(container: Element): monaco.editor.ICodeEditor {
  const ed = monaco.editor.getEditors().find((e) => container.contains(e.getContainerDomNode()));
  if (!ed) throw new Error('no editor there');
  return ed;
}

window.sortkeyStudioTest = {
  setEditorText(container, text) {
    const ed = editorIn(container);
    ed.getModel()!.setValue(text);
    const model = ed.getModel()!;
    const last = model.getLineCount();
    ed.setPosition({ lineNumber: last, column: model.getLineMaxColumn(last) });
    ed.focus();
  },
  editorText: (container) => editorIn(container).getModel()!.getValue(),
  markers: (container) =>
    monaco.editor.getModelMarkers({ resource: editorIn(container).getModel()!.uri }).map((m) => ({
      line: m.startLineNumber,
      startColumn: m.startColumn,
      endColumn: m.endColumn,
      message: m.message,
    })),
};
