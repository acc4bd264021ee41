// IAM's policy evaluation for one request of one principal, as the IAM User Guide documents it
// (policy evaluation logic; condition operators; single- and multivalued context keys): an explicit
// Deny in any policy wins; otherwise an Allow in the identity policies or in the resource's policy
// (same account) allows; otherwise the request is implicitly denied.
import { BlockList, isIP } from 'node:net';
import type { ConditionClause, PolicyDocument, PolicyStatement } from './policy.js';

/** A condition key's value in a request: one string, a list (multivalued), or absent. */
export type ContextValue = string | readonly string[];

/** What one authorization asks: may the principal perform `action` on `resource`? */
export interface AccessRequest {
  /** `dynamodb:PutItem`, `sortkey:SetFaults`, … */
  readonly action: string;
  /** An ARN, or `*` for account-level actions (ListTables). */
  readonly resource: string;
  /** Condition keys of this request (dynamodb:LeadingKeys, …), lower-cased names. */
  readonly keys: ReadonlyMap<string, ContextValue>;
}

export interface Principal {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** `arn:aws:iam::<account>:user/<access key id>` */
  readonly arn: string;
}

export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly explicit: 'identity-based' | 'resource-based' | undefined };

/**
 * The decision for `request`. `identity`: the principal's identity policies, or 'unrestricted' for
 * a principal that has none configured (it may do anything its resource policies do not deny).
 * `global`: request-wide keys (aws:SourceIp, …), looked up after the request's own.
 */
export function evaluate(
  request: AccessRequest,
  principal: Principal,
  identity: readonly PolicyDocument[] | 'unrestricted',
  resourcePolicy: PolicyDocument | undefined,
  global: ReadonlyMap<string, ContextValue>,
): Decision {
  const lookup = (key: string): ContextValue | undefined => {
    const k = key.toLowerCase();
    return request.keys.get(k) ?? global.get(k);
  };
  let identityAllows = identity === 'unrestricted';
  if (identity !== 'unrestricted') {
    for (const doc of identity) {
      for (const s of doc.statements) {
        if (!appliesTo(s, doc, request, lookup)) continue;
        if (s.effect === 'Deny') return { allowed: false, explicit: 'identity-based' };
        identityAllows = true;
      }
    }
  }
  let resourceAllows = false;
  if (resourcePolicy) {
    for (const s of resourcePolicy.statements) {
      if (!namesPrincipal(s, principal, s.effect)) continue;
      if (!appliesTo(s, resourcePolicy, request, lookup)) continue;
      if (s.effect === 'Deny') return { allowed: false, explicit: 'resource-based' };
      resourceAllows = true;
    }
  }
  // Within one account an Allow in either kind of policy suffices.
  if (identityAllows || resourceAllows) return { allowed: true };
  return { allowed: false, explicit: undefined };
}

/** Whether a statement's Action, Resource and Condition all match the request. */
function appliesTo(
  s: PolicyStatement,
  doc: PolicyDocument,
  request: AccessRequest,
  lookup: (key: string) => ContextValue | undefined,
): boolean {
  const actionMatches = s.actions.some((p) => wildcardMatch(p, request.action, true));
  if (actionMatches === s.notAction) return false;
  if (s.resources) {
    const variables = doc.version === '2012-10-17';
    const resourceMatches = s.resources.some((p) => {
      const pattern = variables ? substitute(p, lookup) : p;
      return pattern !== undefined && wildcardMatch(pattern, request.resource, false);
    });
    if (resourceMatches === s.notResource) return false;
  }
  for (const clause of s.conditions) {
    if (!conditionHolds(clause, doc.version === '2012-10-17', lookup)) return false;
  }
  return true;
}

/**
 * Whether a resource-policy statement names the principal. An account (`123456789012`,
 * `arn:aws:iam::123456789012:root`) names every principal of it in a Deny; in an Allow it only
 * delegates to the account's identity policies (IAM's rule for same-account grants), so it grants
 * nothing by itself here.
 */
function namesPrincipal(s: PolicyStatement, principal: Principal, effect: 'Allow' | 'Deny'): boolean {
  const set = s.principals;
  if (!set) return false;
  let named = set.any;
  for (const p of set.aws) {
    if (named) break;
    if (p === principal.arn) named = true;
    else if (p === principal.accountId || p === `arn:aws:iam::${principal.accountId}:root`)
      named = effect === 'Deny' || s.notPrincipal;
  }
  return named !== s.notPrincipal;
}

/** IAM's `*` (any run of characters, `/` and `:` included) and `?` (one character). */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (!p.includes('*') && !p.includes('?')) return p === v;
  // Iterative matcher with backtracking to the last star: linear in practice, never exponential.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Replaces policy variables (`${aws:username}`, `${*}`, …) in a 2012-10-17 document's value;
 * undefined when a variable has no single value in the request (the value then matches nothing).
 */
function substitute(text: string, lookup: (key: string) => ContextValue | undefined): string | undefined {
  if (!text.includes('${')) return text;
  let failed = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    // `${key, 'default'}`
    const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(name);
    const value = m ? lookup(m[1]!) : undefined;
    if (typeof value === 'string') return value;
    if (m?.[2] !== undefined) return m[2];
    failed = true;
    return '';
  });
  return failed ? undefined : out;
}

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** The positive operator a negated one negates. */
const POSITIVE_OF: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function conditionHolds(
  clause: ConditionClause,
  variables: boolean,
  lookup: (key: string) => ContextValue | undefined,
): boolean {
  const raw = lookup(clause.key);
  const present = raw !== undefined && (typeof raw === 'string' || raw.length > 0);
  if (clause.operator === 'Null') {
    // "true": the key must be absent; "false": present.
    return clause.values.some((v) => (v.toLowerCase() === 'true') === !present);
  }
  const values = variables
    ? clause.values.map((v) => substitute(v, lookup)).filter((v): v is string => v !== undefined)
    : clause.values;
  const negated = NEGATED.has(clause.operator);
  const positive = negated ? POSITIVE_OF[clause.operator]! : clause.operator;
  /** Whether one request value matches any of the policy's values (under the positive operator). */
  const matchesAny = (requestValue: string): boolean =>
    values.some((policyValue) => compare(positive, requestValue, policyValue));
  const requestValues: readonly string[] = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;

  if (clause.set === 'ForAllValues') {
    // True when every request value satisfies the operator — vacuously true with none.
    return requestValues.every((v) => (negated ? !matchesAny(v) : matchesAny(v)));
  }
  if (clause.set === 'ForAnyValue') {
    return requestValues.some((v) => (negated ? !matchesAny(v) : matchesAny(v)));
  }
  if (!present) {
    // A missing key: `…IfExists` holds; a negated operator holds (nothing equals it); others fail.
    return clause.ifExists || negated;
  }
  // A single-valued operator on a multivalued key: any of its values will do (none, negated).
  const anyMatches = requestValues.some(matchesAny);
  return negated ? !anyMatches : anyMatches;
}

function compare(operator: string, requestValue: string, policyValue: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return operator === 'ArnEquals'
        ? wildcardMatch(policyValue, requestValue, false)
        : requestValue === policyValue;
    case 'StringEqualsIgnoreCase':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'StringLike':
    case 'ArnLike':
      return wildcardMatch(policyValue, requestValue, false);
    case 'Bool':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'BinaryEquals':
      return requestValue === policyValue;
    case 'NumericEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals':
      return ordered(operator.slice('Numeric'.length), Number(requestValue), Number(policyValue));
    case 'DateEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals':
      return ordered(operator.slice('Date'.length), dateOf(requestValue), dateOf(policyValue));
    case 'IpAddress':
      return inCidr(requestValue, policyValue);
    default:
      return false;
  }
}

function ordered(relation: string, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (relation) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    default:
      return a >= b;
  }
}

/** A date condition value: ISO 8601, or epoch seconds. */
function dateOf(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return Date.parse(text);
}

function inCidr(address: string, cidr: string): boolean {
  const ip = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const kind = isIP(ip);
  if (kind === 0) return false;
  const [base, bits] = cidr.split('/');
  const baseKind = isIP(base ?? '');
  if (baseKind !== kind) return false;
  const type = kind === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  const prefix = bits === undefined ? (kind === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (kind === 4 ? 32 : 128)) return false;
  list.addSubnet(base!, prefix, type);
  return list.check(ip, type);
}
