// Renders IR conditions, key terms and values as readable PartiQL-like text (for EXPLAIN).
import type { Condition, KeyTerm, Operand, Path } from '../expressions/ir.js';
import type { AttributeValue } from '../types.js';

export function formatValue(v: AttributeValue): string {
  if ('S' in v) return `'${v.S.replace(/'/g, "''")}'`;
  if ('N' in v) return v.N;
  if ('B' in v) return `<binary ${v.B}>`;
  if ('BOOL' in v) return v.BOOL ? 'TRUE' : 'FALSE';
  if ('NULL' in v) return 'NULL';
  if ('L' in v) return `[${v.L.map(formatValue).join(', ')}]`;
  if ('M' in v)
    return `{${Object.entries(v.M)
      .map(([k, x]) => `'${k}': ${formatValue(x)}`)
      .join(', ')}}`;
  if ('SS' in v) return `<<${v.SS.map((s) => `'${s}'`).join(', ')}>>`;
  if ('NS' in v) return `<<${v.NS.join(', ')}>>`;
  return `<<${v.BS.map((b) => `<binary ${b}>`).join(', ')}>>`;
}

export function formatPath(p: Path): string {
  let out = /^[A-Za-z_][A-Za-z0-9_]*$/.test(p[0]) ? p[0] : `"${p[0]}"`;
  for (const step of p.slice(1))
    out +=
      typeof step === 'number'
        ? `[${step}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(step)
          ? `.${step}`
          : `."${step}"`;
  return out;
}

export function formatOperand(o: Operand): string {
  switch (o.kind) {
    case 'path':
      return formatPath(o.path);
    case 'value':
      return formatValue(o.value);
    case 'size':
      return `size(${formatPath(o.path)})`;
    case 'if_not_exists':
      return `if_not_exists(${formatPath(o.path)}, ${formatOperand(o.fallback)})`;
    case 'list_append':
      return `list_append(${formatOperand(o.left)}, ${formatOperand(o.right)})`;
    case 'arithmetic':
      return `${formatOperand(o.left)} ${o.op} ${formatOperand(o.right)}`;
    case 'set_add':
    case 'set_delete':
      return `${o.kind}(${formatOperand(o.target)}, ${formatOperand(o.value)})`;
  }
}

export function formatCondition(c: Condition): string {
  switch (c.kind) {
    case 'compare':
      return `${formatOperand(c.left)} ${c.op} ${formatOperand(c.right)}`;
    case 'between':
      return `${formatOperand(c.operand)} BETWEEN ${formatOperand(c.low)} AND ${formatOperand(c.high)}`;
    case 'in':
      return `${formatOperand(c.operand)} IN [${c.list.map(formatOperand).join(', ')}]`;
    case 'and':
    case 'or': {
      const side = (x: Condition) =>
        (x.kind === 'and' || x.kind === 'or') && x.kind !== c.kind
          ? `(${formatCondition(x)})`
          : formatCondition(x);
      return `${side(c.left)} ${c.kind.toUpperCase()} ${side(c.right)}`;
    }
    case 'not':
      return `NOT (${formatCondition(c.operand)})`;
    case 'attribute_exists':
    case 'attribute_not_exists':
      return `${c.kind}(${formatPath(c.path)})`;
    case 'attribute_type':
      return `attribute_type(${formatPath(c.path)}, ${formatOperand(c.type)})`;
    case 'begins_with':
      return `begins_with(${formatOperand(c.operand)}, ${formatOperand(c.prefix)})`;
    case 'contains':
      return `contains(${formatOperand(c.operand)}, ${formatOperand(c.value)})`;
    case 'is':
      return `${formatOperand(c.operand)} IS ${c.negated ? 'NOT ' : ''}${c.test}`;
    case 'literal':
      return c.value ? 'TRUE' : 'FALSE';
  }
}

export function formatKeyTerm(t: KeyTerm): string {
  const name = formatPath([t.name]);
  if (t.op === 'between') return `${name} BETWEEN ${formatValue(t.low)} AND ${formatValue(t.high)}`;
  if (t.op === 'begins_with') return `begins_with(${name}, ${formatValue(t.prefix)})`;
  return `${name} ${t.op} ${formatValue(t.value)}`;
}
