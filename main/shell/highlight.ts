// Syntax colours for PartiQL in the terminal, from the grammar's highlight tokens. Meta-commands
// (`.mode json`) get their own colour. Text is returned line by line, each line closing its colours.
import { highlightTokens } from '../../grammar/partiql/index.js';
import type { HighlightCategory } from '../../grammar/partiql/index.js';
import { splitScript } from './split.js';
import type { Colors } from './text.js';

type Paint = (s: string) => string;

function painter(category: HighlightCategory | 'meta', c: Colors): Paint | undefined {
  switch (category) {
    case 'keyword':
      return (s) => c.bold(c.blue(s));
    case 'string':
      return c.green;
    case 'number':
      return c.cyan;
    case 'parameter':
      return (s) => c.bold(c.magenta(s));
    case 'comment':
      return c.dim;
    case 'function':
      return c.yellow;
    case 'quotedIdentifier':
      return undefined;
    case 'meta':
      return c.magenta;
    default:
      return undefined;
  }
}

/** `text` with colours, split into lines (as `text.split('\n')`), each line self-contained. */
export function highlightLines(text: string, c: Colors): string[] {
  // Per character paint, then runs of equal paint become one coloured span.
  const paints: (Paint | undefined)[] = new Array(text.length).fill(undefined);
  for (const piece of splitScript(text).pieces) {
    if (piece.kind === 'meta') {
      const p = painter('meta', c);
      const word = /^\.\S*/.exec(piece.text)?.[0].length ?? 0;
      for (let i = 0; i < word; i++) paints[piece.offset + i] = p;
    }
  }
  // Statements (the whole text is lexed; meta-command lines keep their own colour).
  for (const token of highlightTokens(text)) {
    const p = painter(token.category, c);
    if (!p) continue;
    for (let i = token.offset; i < token.offset + token.length && i < text.length; i++) {
      if (paints[i] === undefined) paints[i] = p;
    }
  }
  const lines: string[] = [];
  let line = '';
  let run = '';
  let runPaint: Paint | undefined;
  const flush = () => {
    if (run) line += runPaint ? runPaint(run) : run;
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      flush();
      lines.push(line);
      line = '';
      runPaint = undefined;
      continue;
    }
    const p = paints[i];
    if (p !== runPaint) {
      flush();
      runPaint = p;
    }
    run += ch;
  }
  flush();
  lines.push(line);
  return lines;
}
