// A JSON parser that keeps numbers exactly as written. JSON.parse turns 12345678901234567890.5 into
// a double and loses digits; DynamoDB numbers carry 38. Plain-JSON imports parse records that contain
// bare numbers with this parser, which returns each number as a JsonNumber holding its source text.
// (Records without bare numbers, and every DynamoDB-JSON record, go through JSON.parse: faster, and
// exact because DynamoDB JSON writes numbers as strings.)

/** A JSON number as written in the source, e.g. `-1.50e3`. */
export class JsonNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

/** A value from parseExact: JSON with numbers as JsonNumber. */
export type ExactValue = null | boolean | string | JsonNumber | ExactValue[] | { [key: string]: ExactValue };

/** Nesting deeper than this is refused (DynamoDB allows 32 levels; this only guards the stack). */
export const MAX_PARSE_DEPTH = 256;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the text where the problem is. */
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(`${message} at position ${at}`, at);
  }

  ws(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): ExactValue {
    if (depth > MAX_PARSE_DEPTH) this.fail('JSON nested too deeply');
    this.ws();
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 123: // {
        return this.object(depth);
      case 91: // [
        return this.array(depth);
      case 34: // "
        return this.string();
      case 116: // t
        return this.literal('true', true);
      case 102: // f
        return this.literal('false', false);
      case 110: // n
        return this.literal('null', null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        if (Number.isNaN(c)) this.fail('Unexpected end of JSON input');
        return this.fail(`Unexpected token ${JSON.stringify(t[this.pos])}`);
    }
  }

  literal<T>(word: string, result: T): T {
    if (!this.text.startsWith(word, this.pos))
      this.fail(`Unexpected token ${JSON.stringify(this.text[this.pos])}`);
    this.pos += word.length;
    return result;
  }

  number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || m[0].length === 0 || m[0] === '-') this.fail('Invalid number');
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  string(): string {
    const t = this.text;
    const start = this.pos + 1;
    // Fast path: no escapes before the closing quote.
    let p = start;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === 92) break;
      if (c < 32 || Number.isNaN(c)) {
        if (Number.isNaN(c)) this.fail('Unterminated string', start - 1);
        this.fail('Bad control character in string literal', p);
      }
      p++;
    }
    // Slow path: let JSON.parse decode the escapes of this one string.
    let q = p;
    for (;;) {
      const c = t.charCodeAt(q);
      if (Number.isNaN(c)) this.fail('Unterminated string', start - 1);
      if (c === 92) {
        q += 2;
        continue;
      }
      if (c === 34) break;
      q++;
    }
    const literal = t.slice(start - 1, q + 1);
    try {
      const s = JSON.parse(literal) as string;
      this.pos = q + 1;
      return s;
    } catch {
      return this.fail('Bad escape in string', start - 1);
    }
  }

  array(depth: number): ExactValue[] {
    this.pos++;
    const out: ExactValue[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        return out;
      }
      this.fail(Number.isNaN(c) ? 'Unexpected end of JSON input' : "Expected ',' or ']' after array element");
    }
  }

  object(depth: number): { [key: string]: ExactValue } {
    this.pos++;
    // A null prototype: a "__proto__" key is data, not the object's prototype.
    const out = Object.create(null) as { [key: string]: ExactValue };
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) this.fail('Expected property name');
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) this.fail("Expected ':' after property name");
      this.pos++;
      out[key] = this.value(depth + 1);
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        return out;
      }
      this.fail(
        Number.isNaN(c) ? 'Unexpected end of JSON input' : "Expected ',' or '}' after property value",
      );
    }
  }
}

/** Parses one JSON text, keeping numbers as JsonNumber. Throws JsonSyntaxError with the offset. */
export function parseExact(text: string): ExactValue {
  const p = new Parser(text);
  const v = p.value(0);
  p.ws();
  if (p.pos < text.length) p.fail('Unexpected non-whitespace character after JSON');
  return v;
}

/** The offset JSON.parse's error message names ("... at position 12"), when it names one. */
export function jsonErrorPosition(e: unknown): number | undefined {
  if (e instanceof JsonSyntaxError) return e.position;
  const m = /at position (\d+)/.exec(e instanceof Error ? e.message : '');
  return m ? Number(m[1]) : undefined;
}

/** A JSON.parse error message without V8's echo of the input. */
export function jsonErrorMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // Node 20: `Unexpected token } in JSON at position 5`; newer: `Unexpected token '}', "{"a":}" is not valid JSON`.
  return msg.replace(/, "[\s\S]*" is not valid JSON$/, '').replace(/ in JSON at position \d+.*$/, '');
}
