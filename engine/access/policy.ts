// IAM policy documents: parsing a document's JSON into statements, with IAM's complaints about a
// malformed one. Identity-based policies (the server's `--policies` file) and resource-based
// policies (PutResourcePolicy) share the language; only resource policies carry a Principal.

/** A document's statements, ready for evaluate.ts. */
export interface PolicyDocument {
  readonly version: string;
  readonly statements: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  /** `Action` (or `NotAction`, with `notAction` true): patterns such as `dynamodb:Get*`. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** `Resource` (or `NotResource`): ARN patterns; undefined in a resource policy without either. */
  readonly resources: readonly string[] | undefined;
  readonly notResource: boolean;
  /** `Principal` (or `NotPrincipal`) of a resource policy. */
  readonly principals: PrincipalSet | undefined;
  readonly notPrincipal: boolean;
  readonly conditions: readonly ConditionClause[];
}

/** `"*"`, or `{ "AWS": [...] }` etc.: which principals a resource-policy statement names. */
export interface PrincipalSet {
  readonly any: boolean;
  /** Values of the `AWS` member: user ARNs, account ids, `arn:aws:iam::<account>:root`, `*`. */
  readonly aws: readonly string[];
}

/** One key of one operator of a Condition block: `"StringEquals": { "dynamodb:Select": [...] }`. */
export interface ConditionClause {
  /** The base operator, without prefix or `IfExists`: `StringEquals`, `Null`, `Bool`, … */
  readonly operator: string;
  readonly set: 'ForAllValues' | 'ForAnyValue' | undefined;
  readonly ifExists: boolean;
  readonly key: string;
  readonly values: readonly string[];
}

/** A document IAM would refuse; the message is IAM's wording of why (after "Invalid policy document: "). */
export class PolicyError extends Error {}

export const CONDITION_OPERATORS: ReadonlySet<string> = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const STATEMENT_FIELDS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/**
 * Parses a policy document (JSON text or an already parsed value). `kind` says whether it is an
 * identity policy (no Principal allowed, Resource required) or a resource policy (Principal required).
 */
export function parsePolicy(source: unknown, kind: 'identity' | 'resource'): PolicyDocument {
  let doc: unknown = source;
  if (typeof source === 'string') {
    try {
      doc = JSON.parse(source);
    } catch {
      throw new PolicyError('This policy contains invalid Json');
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new PolicyError('This policy contains invalid Json');
  const d = doc as Record<string, unknown>;
  for (const field of Object.keys(d)) {
    if (field !== 'Version' && field !== 'Statement' && field !== 'Id')
      throw new PolicyError(`Policy document should not specify a field named ${field}`);
  }
  // A document without Version is read as the oldest language version, as IAM does.
  const version = d.Version === undefined ? '2008-10-17' : d.Version;
  if (typeof version !== 'string' || !VERSIONS.has(version))
    throw new PolicyError(`The policy element Version has an invalid value ${JSON.stringify(version)}`);
  if (d.Statement === undefined) throw new PolicyError('Missing required field Statement');
  const raw = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (raw.length === 0) throw new PolicyError('Missing required field Statement');
  return { version, statements: raw.map((s) => parseStatement(s, kind)) };
}

function parseStatement(raw: unknown, kind: 'identity' | 'resource'): PolicyStatement {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyError('Statement is not an object');
  const s = raw as Record<string, unknown>;
  for (const field of Object.keys(s)) {
    if (!STATEMENT_FIELDS.has(field)) throw new PolicyError(`Statement contains an unknown field ${field}`);
  }
  if (s.Effect === undefined) throw new PolicyError('Missing required field Effect');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
    throw new PolicyError(
      `Invalid effect: ${typeof s.Effect === 'string' ? s.Effect : JSON.stringify(s.Effect)}`,
    );
  const actions = oneOf(s, 'Action', 'NotAction', true)!;
  // DynamoDB's resource policies need a Resource too ("Missing required field Resource").
  const resources = oneOf(s, 'Resource', 'NotResource', true);
  if (kind === 'identity' && (s.Principal !== undefined || s.NotPrincipal !== undefined))
    throw new PolicyError('Policy document should not specify a principal.');
  let principals: PrincipalSet | undefined;
  if (kind === 'resource') {
    if (s.Principal === undefined && s.NotPrincipal === undefined)
      throw new PolicyError('Missing required field Principal');
    if (s.Principal !== undefined && s.NotPrincipal !== undefined)
      throw new PolicyError('Statement cannot have both Principal and NotPrincipal');
    principals = parsePrincipal(s.Principal ?? s.NotPrincipal);
  }
  for (const action of actions.values) {
    if (action !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(action))
      throw new PolicyError(
        `Action ${action} is not valid: write service:Action (wildcards * and ? allowed)`,
      );
  }
  return {
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: s.Effect,
    actions: actions.values,
    notAction: actions.negated,
    resources: resources?.values,
    notResource: resources?.negated ?? false,
    principals,
    notPrincipal: s.NotPrincipal !== undefined,
    conditions: parseConditions(s.Condition),
  };
}

/** `Action` or `NotAction` (one of them, a string or a list of strings). */
function oneOf(
  s: Record<string, unknown>,
  field: string,
  notField: string,
  required: boolean,
): { values: string[]; negated: boolean } | undefined {
  const value = s[field];
  const notValue = s[notField];
  if (value !== undefined && notValue !== undefined)
    throw new PolicyError(`Statement cannot have both ${field} and ${notField}`);
  if (value === undefined && notValue === undefined) {
    if (required) throw new PolicyError(`Missing required field ${field}`);
    return undefined;
  }
  const negated = value === undefined;
  return { values: stringList(negated ? notValue : value, negated ? notField : field), negated };
}

function stringList(value: unknown, field: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== 'string'))
    throw new PolicyError(`${field} must be a string or a list of strings`);
  return list as string[];
}

function parsePrincipal(raw: unknown): PrincipalSet {
  if (raw === '*') return { any: true, aws: [] };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyError('Invalid principal in policy');
  const p = raw as Record<string, unknown>;
  let aws: string[] = [];
  for (const [type, value] of Object.entries(p)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type))
      throw new PolicyError(`Invalid principal in policy: ${type}`);
    const list = stringList(value, `Principal ${type}`);
    if (type === 'AWS') aws = list;
  }
  return { any: aws.includes('*'), aws };
}

function parseConditions(raw: unknown): ConditionClause[] {
  if (raw === undefined) return [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyError('Condition must be an object');
  const out: ConditionClause[] = [];
  for (const [name, block] of Object.entries(raw as Record<string, unknown>)) {
    let rest = name;
    let set: ConditionClause['set'];
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      const prefix = rest.slice(0, colon);
      if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue')
        throw new PolicyError(`Invalid Condition type : ${name}`);
      set = prefix;
      rest = rest.slice(colon + 1);
    }
    const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
    const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
    if (!CONDITION_OPERATORS.has(operator) || (ifExists && operator === 'Null'))
      throw new PolicyError(`Invalid Condition type : ${name}`);
    if (block === null || typeof block !== 'object' || Array.isArray(block))
      throw new PolicyError(`Condition ${name} must map condition keys to values`);
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const list = Array.isArray(value) ? value : [value];
      if (list.some((v) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean'))
        throw new PolicyError(
          `Condition ${name} of ${key} must be a string, number, boolean or a list of them`,
        );
      out.push({ operator, set, ifExists, key, values: list.map((v) => String(v)) });
    }
  }
  return out;
}
