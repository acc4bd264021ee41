// The PartiQL lexer: one Chevrotain lexer, plus a pass that turns reserved words into keyword tokens.
import { Lexer } from 'chevrotain';
import type { IToken, ILexingError } from 'chevrotain';
import { Explain, Identifier, KEYWORD_TOKENS, lexerTokens } from './tokens.js';

// Built on first use, as constructing a Chevrotain lexer costs milliseconds and the engine's
// statements usually go through the hand-written fast-lexer.ts instead.
let lexer: Lexer | undefined;
function partiqlLexer(): Lexer {
  return (lexer ??= new Lexer(lexerTokens, { positionTracking: 'full', ensureOptimizations: true }));
}

export interface LexResult {
  /** Tokens for the parser, keywords already reclassified. */
  tokens: IToken[];
  /** `--` and `/* *\/` comments. */
  comments: IToken[];
  /** Unterminated strings, quoted identifiers and block comments. */
  invalid: IToken[];
  /** Characters no token matches, e.g. `#` or `@`. */
  errors: ILexingError[];
}

const identifierIdx = Identifier.tokenTypeIdx as number;

/** Splits `text` into tokens. Never throws. */
export function tokenize(text: string): LexResult {
  const result = partiqlLexer().tokenize(text);
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tokenTypeIdx !== identifierIdx) continue;
    const image = token.image;
    let type = KEYWORD_TOKENS.get(image) ?? KEYWORD_TOKENS.get(image.toLowerCase());
    if (type === undefined && i === 0 && image.length === 7 && image.toLowerCase() === 'explain')
      type = Explain;
    if (type !== undefined) {
      token.tokenType = type;
      token.tokenTypeIdx = type.tokenTypeIdx as number;
    }
  }
  return {
    tokens,
    comments: result.groups['comments'] ?? [],
    invalid: result.groups['invalid'] ?? [],
    errors: result.errors,
  };
}
