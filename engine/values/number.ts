// DynamoDB numbers: decimal strings that never pass through a JavaScript double. Up to 38 significant
// digits, magnitudes from 1E-130 to 9.99…E+125, returned in plain notation without redundant zeros.
import { Decimal } from 'decimal.js';
import { validation } from '../errors.js';
import type { ValueLayer } from './layer.js';

/** A number as sign, significant digits and the power of ten of the first digit. */
export interface DecimalParts {
  readonly negative: boolean;
  /** Significant digits without leading or trailing zeros; '' for zero. */
  readonly digits: string;
  /** Power of ten of the first digit: 123.4 has exponent 2, 0.05 has exponent -2. */
  readonly exponent: number;
}

const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
export const MAX_SIGNIFICANT_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

/** Parses a decimal string, or returns undefined when it is not one. Does not check DynamoDB's limits. */
export function parseDecimal(text: string): DecimalParts | undefined {
  // Plain numbers (`42`, `-1.25`: no exponent) are read by a scan; the pattern reads the rest. Every
  // stored number is read again for its size, its key bytes and comparisons: this is a hot path.
  const n = text.length;
  const sign = text.charCodeAt(0);
  let i = sign === MINUS || sign === PLUS ? 1 : 0;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  if (i < n && text.charCodeAt(i) === POINT) {
    fracStart = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < n) return parseByPattern(text);
  if (intEnd === intStart && i === fracStart) return undefined;
  const intPart = text.slice(intStart, intEnd);
  return canonicalParts(sign === MINUS, intPart, i > fracStart ? text.slice(fracStart, i) : '', 0);
}

const MINUS = 0x2d;
const PLUS = 0x2b;
const POINT = 0x2e;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function parseByPattern(text: string): DecimalParts | undefined {
  const m = NUMBER_SYNTAX.exec(text);
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  const exp = m[4] === undefined ? 0 : exponentOf(m[4]);
  if (exp === undefined) return undefined;
  return canonicalParts(m[1] === '-', intPart, fracPart, exp);
}

/** The parts of a number written with these digits before and after the point, and this exponent. */
function canonicalParts(negative: boolean, intPart: string, fracPart: string, exp: number): DecimalParts {
  const all = fracPart === '' ? intPart : intPart + fracPart;
  let start = 0;
  while (start < all.length && all.charCodeAt(start) === 48) start++;
  if (start === all.length) return { negative: false, digits: '', exponent: 0 };
  let end = all.length;
  while (all.charCodeAt(end - 1) === 48) end--;
  return {
    negative,
    digits: start === 0 && end === all.length ? all : all.slice(start, end),
    exponent: intPart.length - 1 - start + exp,
  };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * The written exponent. DynamoDB reads it as a 64-bit integer: past that the number cannot be
 * converted; within it, anything beyond a safe JS integer is far outside the range anyway, so it is
 * clamped to a value that still overflows or underflows.
 */
function exponentOf(text: string): number | undefined {
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(text);
  if (big > INT64_MAX || big < INT64_MIN) return undefined;
  return big > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/** The number could not be read at all. `named`: the current layer names an empty text too. */
function unconvertible(text: string, named = false): Error {
  // The older layer names the text it could not read, unless there is none.
  const shown = text === '' && !named ? '' : `: ${text}`;
  return validation(`The parameter cannot be converted to a numeric value${shown}`);
}

/**
 * Checks DynamoDB's limits and returns the canonical parts; throws DynamoDB's errors. This is how
 * the engine reads numbers outside attribute values (PartiQL literals, arithmetic results, dump
 * text): exponents as 64-bit integers, and an empty text is not named. Attribute values from a
 * request go through checkNumberValue, in the words of the operation's layer.
 */
export function checkDecimal(text: string): DecimalParts {
  const parts = parseDecimal(text);
  if (!parts) throw unconvertible(text);
  const problem = rangeProblem(text, parts);
  if (problem) throw problem;
  return parts;
}

/**
 * A number attribute value from a request, checked and worded as `layer` does (see layer.ts). Both
 * layers refuse the same texts: the older one reads an out-of-range number as a BigDecimal first,
 * which words a few of them differently, so that reading runs only once the number is refused.
 */
export function checkNumberValue(text: string, layer: ValueLayer): DecimalParts {
  const parts = parseDecimal(text);
  if (!parts) throw unconvertible(text, layer === 'current');
  const problem = rangeProblem(text, parts);
  if (problem) {
    if (layer === 'older') checkParameterNumber(text);
    throw problem;
  }
  return parts;
}

/** What is wrong with the range of parsed parts (undefined when nothing): errors built only then. */
function rangeProblem(text: string, parts: DecimalParts): Error | undefined {
  if (parts.digits === '') return zeroExponentProblem(text);
  if (parts.digits.length > MAX_SIGNIFICANT_DIGITS) return tooManyDigits();
  if (parts.exponent > MAX_EXPONENT) return overflow();
  if (parts.exponent < MIN_EXPONENT) return underflow();
  return undefined;
}

/**
 * A zero is range-checked by the exponent it is written with (`0e126` overflows, `0.0e-130`
 * underflows), as DynamoDB keeps a decimal's scale until it checks the range.
 */
function zeroExponentProblem(text: string): Error | undefined {
  const m = NUMBER_SYNTAX.exec(text)!;
  const exponent = (m[4] === undefined ? 0 : exponentOf(m[4])!) - (m[3] ?? '').length;
  if (exponent > MAX_EXPONENT) return overflow();
  if (exponent < MIN_EXPONENT) return underflow();
  return undefined;
}

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

/**
 * The older layer (PartiQL parameters included) reads numbers as Java BigDecimals before DynamoDB's
 * own checks: an exponent or scale beyond a 32-bit integer cannot be converted, and the count of
 * digits before the point is kept in 32 bits, so one just past that wraps round to an underflow
 * (`1e2147483647`).
 */
export function checkParameterNumber(text: string): void {
  const m = NUMBER_SYNTAX.exec(text);
  if (!m || (m[2] === '' && m[3] === undefined)) return; // the ordinary check refuses it
  const fraction = m[3] ?? '';
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  const scale = fraction.length - exponent;
  if (exponent > INT32_MAX || exponent < INT32_MIN || scale > INT32_MAX || scale < INT32_MIN) {
    throw unconvertible(text);
  }
  const precision = ((m[2] ?? '') + fraction).replace(/^0+/, '').length || 1;
  if (precision - scale > INT32_MAX) throw underflow();
}

function overflow(): Error {
  return validation(
    'Number overflow. Attempting to store a number with magnitude larger than supported range',
  );
}

function underflow(): Error {
  return validation(
    'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  );
}

function tooManyDigits(): Error {
  return validation('Attempting to store more than 38 significant digits in a Number');
}

/** Plain-notation text of canonical parts: `1.5`, `-0.001`, `1200`. */
export function formatDecimal(parts: DecimalParts): string {
  const { digits, exponent } = parts;
  if (digits === '') return '0';
  let body: string;
  if (exponent >= digits.length - 1) body = digits + '0'.repeat(exponent - digits.length + 1);
  else if (exponent < 0) body = '0.' + '0'.repeat(-exponent - 1) + digits;
  else body = digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
  return parts.negative ? '-' + body : body;
}

/** Validates a number as DynamoDB does and returns the form DynamoDB stores and returns. */
export function normalizeNumber(text: string): string {
  return formatDecimal(checkDecimal(text));
}

/** A number attribute value from a request in its stored form, refused in the words of `layer`. */
export function normalizeNumberValue(text: string, layer: ValueLayer): string {
  return formatDecimal(checkNumberValue(text, layer));
}

/** Orders two numbers exactly. Inputs must parse (normalised strings always do). */
export function compareNumbers(a: string, b: string): number {
  return compareParts(parseDecimal(a)!, parseDecimal(b)!);
}

export function compareParts(a: DecimalParts, b: DecimalParts): number {
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  let c: number;
  if (a.exponent !== b.exponent) c = a.exponent < b.exponent ? -1 : 1;
  else c = a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  // `0 - c` would make equal negatives -0, which callers comparing with Object.is see as unequal.
  return sa < 0 && c !== 0 ? -c : c;
}

function signOf(p: DecimalParts): number {
  return p.digits === '' ? 0 : p.negative ? -1 : 1;
}

/**
 * Bytes a number costs in DynamoDB's item size: one byte of exponent, one per base-100 digit of the
 * mantissa, one more when negative (DynamoDB stores numbers in base 100).
 */
export function numberSize(text: string): number {
  const p = parseDecimal(text);
  if (!p || p.digits === '') return 1;
  const last = p.exponent - p.digits.length + 1;
  const centesimalDigits = Math.floor(p.exponent / 2) - Math.floor(last / 2) + 1;
  return 1 + centesimalDigits + (p.negative ? 1 : 0);
}

// Exact arithmetic: in-range operands need at most ~260 digits, so this precision never rounds; the
// result then goes through DynamoDB's limits like any stored number.
const Exact = Decimal.clone({ precision: 400, toExpNeg: -9e15, toExpPos: 9e15 });

export function addNumbers(a: string, b: string): string {
  return normalizeNumber(new Exact(a).plus(new Exact(b)).toFixed());
}

export function subtractNumbers(a: string, b: string): string {
  return normalizeNumber(new Exact(a).minus(new Exact(b)).toFixed());
}
