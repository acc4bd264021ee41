// Errors in DynamoDB's words: `Invalid <Kind>: <detail>`, with the source span for editors.
import type { IToken } from 'chevrotain';
import type { Span } from './ast.js';

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'ProjectionExpression'
  | 'UpdateExpression';

export class ExpressionError extends Error {
  constructor(
    readonly kind: ExpressionKind,
    /** The text after `Invalid <Kind>: `. */
    readonly detail: string,
    readonly span?: Span,
  ) {
    super(`Invalid ${kind}: ${detail}`);
    this.name = 'ExpressionError';
  }
}

/**
 * DynamoDB's syntax error: the offending token, and "near" it the source from the token before it
 * to the token after it (`Syntax error; token: "=", near: "= = b"`); the end of input is `<EOF>`.
 */
export function syntaxError(
  kind: ExpressionKind,
  text: string,
  tokens: readonly IToken[],
  index: number,
): ExpressionError {
  const token: IToken | undefined = tokens[index];
  const previous = index > 0 ? tokens[index - 1] : undefined;
  if (!token) {
    const near = previous
      ? text.slice(previous.startOffset, previous.startOffset + previous.image.length)
      : '';
    const at = text.length;
    return new ExpressionError(kind, `Syntax error; token: "<EOF>", near: "${near}"`, { start: at, end: at });
  }
  const next = tokens[index + 1];
  const start = (previous ?? token).startOffset;
  const last = next ?? token;
  const near = text.slice(start, last.startOffset + last.image.length);
  return new ExpressionError(kind, `Syntax error; token: "${token.image}", near: "${near}"`, {
    start: token.startOffset,
    end: token.startOffset + token.image.length,
  });
}
