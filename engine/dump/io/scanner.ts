// A streaming structural scanner for JSON documents too large to parse whole. It does not build
// values: it finds where each record's text starts and ends (tracking strings, escapes and nesting)
// and hands the text of each record, with the line it starts on, to JSON.parse or the exact parser.
// That is an order of magnitude faster than a token-by-token streaming parser, and keeps memory to
// one record.
//
// Records are:
//   - the elements of a top-level array               [ rec, rec, … ]
//   - with objects 'records': each top-level object    {…} {…}   (concatenated or one per line)
//   - with objects 'containers': the elements of arrays that are members of a top-level object,
//     tagged with the member's name                    {"Items": [rec, …], "Count": 2}
//                                                      {"Table": [rec, …]}   (BatchWriteItem)
//     other members are reported as 'member' values (small: Count, ScannedCount, …).

export interface ScannedValue {
  readonly kind: 'element' | 'top' | 'member';
  /** The JSON text of the value. */
  readonly text: string;
  /** 1-based line the value starts on. */
  readonly line: number;
  /** The member name of the enclosing top-level object (containers mode), else null. */
  readonly key: string | null;
  /** True when the value has numbers outside strings (JSON.parse would round them). */
  readonly bareNumbers: boolean;
}

export class ScanError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const TOP = 0;
const ARRAY = 1; // inside a record-bearing array: expecting an element, ',' or ']'
const OBJ_KEY = 2; // inside a containers-mode object: expecting a member name, ',' or '}'
const OBJ_KEYSTR = 3;
const OBJ_COLON = 4;
const OBJ_VALUE = 5;
const CAPTURE = 6;

export interface ScannerOptions {
  readonly objects: 'records' | 'containers';
  /** Longest record accepted, in characters. Default 64 Mi. */
  readonly maxRecordChars?: number;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export class JsonScanner {
  private state = TOP;
  private line = 1;
  /** Where a capture returns to once the value ends. */
  private returnTo = TOP;
  private captureKind: ScannedValue['kind'] = 'top';
  private captureKey: string | null = null;
  private captureLine = 1;
  private captureParts: string[] = [];
  private captureChars = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private scalar = false;
  private bare = false;
  /** Array context: whose elements are records. */
  private arrayKey: string | null = null;
  private arrayInObject = false;
  private arrayLine = 1;
  private arrayExpectValue = true; // after '[' or ',': a value (or ']' right after '[')
  private arrayEmpty = true;
  private objectLine = 1;
  private objectExpectKey = true;
  private objectEmpty = true;
  private keyParts = '';
  private keyEscape = false;
  private key = '';
  private readonly maxChars: number;

  constructor(private readonly options: ScannerOptions) {
    this.maxChars = options.maxRecordChars ?? 64 * 1024 * 1024;
  }

  /** Scans one chunk of text; returns the values completed within it. */
  push(text: string): ScannedValue[] {
    const out: ScannedValue[] = [];
    const n = text.length;
    let i = 0;
    let captureFrom = this.state === CAPTURE ? 0 : -1;
    while (i < n) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case CAPTURE: {
          // The hot loop: walk the record's characters.
          let depth = this.depth;
          let inString = this.inString;
          let escape = this.escape;
          let bare = this.bare;
          let line = this.line;
          let ended = -1;
          if (this.scalar) {
            for (; i < n; i++) {
              const ch = text.charCodeAt(i);
              if (ch === 44 || ch === 93 || ch === 125 || isWs(ch)) {
                ended = i; // the delimiter is not part of the value
                break;
              }
            }
          } else {
            for (; i < n; i++) {
              const ch = text.charCodeAt(i);
              if (inString) {
                if (escape) escape = false;
                else if (ch === 92) escape = true;
                else if (ch === 34) {
                  inString = false;
                  if (depth === 0) {
                    ended = i + 1;
                    i++;
                    break;
                  }
                } else if (ch === 10) line++;
                continue;
              }
              if (ch === 34) inString = true;
              else if (ch === 123 || ch === 91) depth++;
              else if (ch === 125 || ch === 93) {
                depth--;
                if (depth === 0) {
                  ended = i + 1;
                  i++;
                  break;
                }
              } else if (ch === 10) line++;
              else if (ch === 45 || (ch >= 48 && ch <= 57)) bare = true;
            }
          }
          this.depth = depth;
          this.inString = inString;
          this.escape = escape;
          this.bare = bare;
          this.line = line;
          if (ended < 0) {
            this.captureParts.push(text.slice(captureFrom, n));
            this.captureChars += n - captureFrom;
            if (this.captureChars > this.maxChars) {
              throw new ScanError(
                `a record longer than ${this.maxChars} characters starts on line ${this.captureLine}`,
                this.captureLine,
              );
            }
            return out;
          }
          this.captureParts.push(text.slice(captureFrom, ended));
          out.push(this.finishCapture());
          captureFrom = -1;
          continue;
        }
        case TOP:
          if (isWs(c)) {
            if (c === 10) this.line++;
            i++;
            continue;
          }
          if (c === 91) {
            this.enterArray(null, false);
            i++;
            continue;
          }
          if (c === 123 && this.options.objects === 'containers') {
            this.state = OBJ_KEY;
            this.objectLine = this.line;
            this.objectExpectKey = true;
            this.objectEmpty = true;
            i++;
            continue;
          }
          this.beginCapture(c, 'top', null, TOP);
          captureFrom = i;
          if (!this.scalar) i++;
          if (this.scalar) this.bare = c === 45 || (c >= 48 && c <= 57);
          continue;
        case ARRAY:
          if (isWs(c)) {
            if (c === 10) this.line++;
            i++;
            continue;
          }
          if (c === 93) {
            if (this.arrayExpectValue && !this.arrayEmpty)
              throw new ScanError('a trailing comma before ]', this.line);
            this.state = this.arrayInObject ? OBJ_KEY : TOP;
            this.objectExpectKey = false;
            i++;
            continue;
          }
          if (c === 44) {
            if (this.arrayExpectValue) throw new ScanError('unexpected , in an array', this.line);
            this.arrayExpectValue = true;
            i++;
            continue;
          }
          if (!this.arrayExpectValue)
            throw new ScanError(
              `expected , or ] after an array element, found ${JSON.stringify(text[i])}`,
              this.line,
            );
          this.arrayExpectValue = false;
          this.arrayEmpty = false;
          this.beginCapture(c, 'element', this.arrayKey, ARRAY);
          captureFrom = i;
          if (this.scalar) this.bare = c === 45 || (c >= 48 && c <= 57);
          else i++;
          continue;
        case OBJ_KEY:
          if (isWs(c)) {
            if (c === 10) this.line++;
            i++;
            continue;
          }
          if (c === 125) {
            if (this.objectExpectKey && !this.objectEmpty)
              throw new ScanError('a trailing comma before }', this.line);
            this.state = TOP;
            i++;
            continue;
          }
          if (c === 44) {
            if (this.objectExpectKey) throw new ScanError('unexpected , in an object', this.line);
            this.objectExpectKey = true;
            i++;
            continue;
          }
          if (c !== 34 || !this.objectExpectKey) {
            throw new ScanError(`expected a member name, found ${JSON.stringify(text[i])}`, this.line);
          }
          this.state = OBJ_KEYSTR;
          this.keyParts = '"';
          this.keyEscape = false;
          i++;
          continue;
        case OBJ_KEYSTR: {
          const start = i;
          for (; i < n; i++) {
            const ch = text.charCodeAt(i);
            if (this.keyEscape) this.keyEscape = false;
            else if (ch === 92) this.keyEscape = true;
            else if (ch === 34) break;
          }
          if (i >= n) {
            this.keyParts += text.slice(start, n);
            continue;
          }
          this.keyParts += text.slice(start, i + 1);
          i++;
          try {
            this.key = JSON.parse(this.keyParts) as string;
          } catch {
            throw new ScanError('a bad member name', this.line);
          }
          this.state = OBJ_COLON;
          continue;
        }
        case OBJ_COLON:
          if (isWs(c)) {
            if (c === 10) this.line++;
            i++;
            continue;
          }
          if (c !== 58)
            throw new ScanError(
              `expected : after a member name, found ${JSON.stringify(text[i])}`,
              this.line,
            );
          this.state = OBJ_VALUE;
          i++;
          continue;
        case OBJ_VALUE:
          if (isWs(c)) {
            if (c === 10) this.line++;
            i++;
            continue;
          }
          this.objectEmpty = false;
          this.objectExpectKey = false;
          if (c === 91) {
            this.enterArray(this.key, true);
            i++;
            continue;
          }
          this.beginCapture(c, 'member', this.key, OBJ_KEY);
          captureFrom = i;
          if (this.scalar) this.bare = c === 45 || (c >= 48 && c <= 57);
          else i++;
          continue;
      }
    }
    // The chunk ended just after a value started: keep its beginning.
    if (this.state === CAPTURE && captureFrom >= 0 && captureFrom < n) {
      this.captureParts.push(text.slice(captureFrom, n));
      this.captureChars += n - captureFrom;
    }
    return out;
  }

  private enterArray(key: string | null, inObject: boolean): void {
    this.state = ARRAY;
    this.arrayKey = key;
    this.arrayInObject = inObject;
    this.arrayLine = this.line;
    this.arrayExpectValue = true;
    this.arrayEmpty = true;
  }

  private beginCapture(c: number, kind: ScannedValue['kind'], key: string | null, returnTo: number): void {
    this.state = CAPTURE;
    this.returnTo = returnTo;
    this.captureKind = kind;
    this.captureKey = key;
    this.captureLine = this.line;
    this.captureParts = [];
    this.captureChars = 0;
    this.escape = false;
    this.bare = false;
    if (c === 123 || c === 91) {
      this.scalar = false;
      this.inString = false;
      this.depth = 1;
    } else if (c === 34) {
      this.scalar = false;
      this.inString = true;
      this.depth = 0;
    } else {
      this.scalar = true;
      this.inString = false;
      this.depth = 0;
    }
  }

  private finishCapture(): ScannedValue {
    const text = this.captureParts.length === 1 ? this.captureParts[0]! : this.captureParts.join('');
    this.captureParts = [];
    this.state = this.returnTo;
    if (this.returnTo === OBJ_KEY) this.objectExpectKey = false;
    return {
      kind: this.captureKind,
      text,
      line: this.captureLine,
      key: this.captureKey,
      bareNumbers: this.bare,
    };
  }

  /** Ends the input: completes a trailing scalar, or reports what was left open. */
  end(): ScannedValue[] {
    switch (this.state) {
      case TOP:
        return [];
      case CAPTURE:
        if (this.scalar) return [this.finishCapture()];
        throw new ScanError(
          `unexpected end of input: the value starting on line ${this.captureLine} is not closed`,
          this.captureLine,
        );
      case ARRAY:
        throw new ScanError(
          `unexpected end of input: the array opened on line ${this.arrayLine} is not closed`,
          this.arrayLine,
        );
      default:
        throw new ScanError(
          `unexpected end of input: the object opened on line ${this.objectLine} is not closed`,
          this.objectLine,
        );
    }
  }
}
