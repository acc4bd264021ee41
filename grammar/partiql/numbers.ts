// Number-literal checks that belong to parsing. DynamoDB reads a literal like Java's BigDecimal: an
// exponent that does not fit a 32-bit integer, or a scale (digits after the point minus the exponent)
// that does not, makes the statement unparsable, with nothing after the "wasn't well formed" colon.
// Range and precision (overflow, underflow, 38 digits) are value rules and are checked by the engine,
// which applies them to `?` parameters too.

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

interface Parts {
  negative: boolean;
  intDigits: string;
  fracDigits: string;
  /** null when the exponent does not fit a 32-bit integer. */
  exponent: number | null;
}

function split(text: string): Parts {
  let s = text;
  let negative = false;
  while (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') negative = !negative;
    s = s.slice(1);
  }
  const e = s.search(/[eE]/);
  const mantissa = e < 0 ? s : s.slice(0, e);
  let exponent: number | null = 0;
  if (e >= 0) {
    const expText = s.slice(e + 1);
    const expNegative = expText.startsWith('-');
    const digits = expText.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
    if (digits.length > 10) exponent = null;
    else {
      const value = Number(digits) * (expNegative ? -1 : 1);
      exponent = value < INT_MIN || value > INT_MAX ? null : value;
    }
  }
  const dot = mantissa.indexOf('.');
  return {
    negative,
    intDigits: dot < 0 ? mantissa : mantissa.slice(0, dot),
    fracDigits: dot < 0 ? '' : mantissa.slice(dot + 1),
    exponent,
  };
}

/** Why DynamoDB cannot read this literal, or null when it can. */
export function checkNumberText(text: string): string | null {
  const { fracDigits, exponent } = split(text);
  if (exponent === null) return `The exponent of ${text} is out of range`;
  const scale = fracDigits.length - exponent;
  if (scale < INT_MIN || scale > INT_MAX) return `The scale of ${text} is out of range`;
  return null;
}

/**
 * A key equal for numerically equal literals (`1`, `1.0`, `10e-1`), for spotting duplicate members
 * of a set literal.
 */
export function numberKey(text: string): string {
  const { negative, intDigits, fracDigits, exponent } = split(text);
  const digits = intDigits + fracDigits;
  const firstNonZero = digits.search(/[1-9]/);
  if (firstNonZero < 0) return '0';
  const trimmed = digits.slice(firstNonZero).replace(/0+$/, '');
  // Position of the decimal point relative to the first significant digit.
  const pointPosition = intDigits.length - firstNonZero + (exponent ?? 0);
  return `${negative ? '-' : ''}${trimmed}e${pointPosition}`;
}
