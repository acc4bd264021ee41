// A JSON parser that keeps what JSON.parse throws away: number literals exactly as written (never
// through a JS double) and where every value is (for error markers in the item editor).
// Pure TypeScript: also imported by unit tests.

export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

export type JsonNode =
  | (Span & { kind: 'object'; entries: JsonEntry[] })
  | (Span & { kind: 'array'; items: JsonNode[] })
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'number'; raw: string })
  | (Span & { kind: 'boolean'; value: boolean })
  | (Span & { kind: 'null' });

export interface JsonEntry {
  key: string;
  keySpan: Span;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text into nodes; throws JsonSyntaxError with the offset of the problem. */
export function parseJson(text: string): JsonNode {
  let i = 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };

  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };

  const describe = (): string => (i >= text.length ? 'end of text' : `'${text[i]}'`);

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string', start);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Bad \\u escape in string');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          fail('Bad escape in string');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('Control character in string (write it as an escape such as \\n)');
      out += c;
      i++;
    }
  };

  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: JsonEntry[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries, start, end: i };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`Expected a quoted name, found ${describe()}`);
        const keyStart = i;
        const key = parseString();
        const keySpan = { start: keyStart, end: i };
        ws();
        if (text[i] !== ':') fail(`Expected ':' after the name, found ${describe()}`);
        i++;
        const v = value();
        if (entries.some((e) => e.key === key)) fail(`Duplicate name "${key}"`, keyStart);
        entries.push({ key, keySpan, value: v });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', entries, start, end: i };
        }
        fail(`Expected ',' or '}', found ${describe()}`);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items, start, end: i };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', items, start, end: i };
        }
        fail(`Expected ',' or ']', found ${describe()}`);
      }
    }
    if (c === '"') {
      const s = parseString();
      return { kind: 'string', value: s, start, end: i };
    }
    if (c === 't' && text.startsWith('true', i)) {
      i += 4;
      return { kind: 'boolean', value: true, start, end: i };
    }
    if (c === 'f' && text.startsWith('false', i)) {
      i += 5;
      return { kind: 'boolean', value: false, start, end: i };
    }
    if (c === 'n' && text.startsWith('null', i)) {
      i += 4;
      return { kind: 'null', start, end: i };
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0) {
      i += m[0].length;
      return { kind: 'number', raw: m[0], start, end: i };
    }
    return fail(`Unexpected ${describe()}`);
  };

  const root = value();
  ws();
  if (i < text.length) fail(`Unexpected ${describe()} after the value`);
  return root;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A number that is written as-is into JSON text (exact decimal string). */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

/** Plain JSON with exact numbers. */
export type PlainValue = string | boolean | null | JsonNumber | PlainValue[] | { [key: string]: PlainValue };

/** JSON text of a plain value, numbers written exactly as their strings. */
export function stringifyPlain(value: PlainValue, indent = 2, depth = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof JsonNumber) return value.raw;
  const pad = indent > 0 ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
  const close = indent > 0 ? '\n' + ' '.repeat(indent * depth) : '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad + stringifyPlain(v, indent, depth + 1)).join(',')}${close}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  const sep = indent > 0 ? ': ' : ':';
  return `{${keys.map((k) => pad + JSON.stringify(k) + sep + stringifyPlain(value[k]!, indent, depth + 1)).join(',')}${close}}`;
}
