// TagResource, UntagResource, ListTagsOfResource: tags on tables, addressed by table ARN.
import type { EngineContext } from '../context.js';
import { ConstraintErrors, DynamoError, validation } from '../errors.js';
import type { Table } from '../tables/table.js';
import type { Sdk, Wire } from '../types.js';
import { asRecord, checkLength, checkList, checkRequired, checkStructure } from './common.js';
import { checkArnPrefix, checkTagCount, checkTagKeys, checkTags } from './tagRules.js';

function tableByArn(ctx: EngineContext, arn: string): Table {
  checkArnPrefix(arn);
  const m = /^arn:aws[\w-]*:dynamodb:([^:]*):([^:]*):table\/([a-zA-Z0-9_.-]+)$/.exec(arn);
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const table = ctx.catalog.get(m[3]!);
  if (!table || table.arn !== arn) {
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`,
    );
  }
  return table;
}

export function tagResource(ctx: EngineContext, input: Wire<Sdk.TagResourceInput>): Record<string, never> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.ResourceArn, 'resourceArn');
  checkLength(c, raw.ResourceArn, 'resourceArn', 1, 1283);
  checkRequired(c, raw.Tags, 'tags');
  checkList(c, raw.Tags, 'tags');
  if (Array.isArray(raw.Tags))
    (raw.Tags as unknown[]).forEach((t, i) => checkStructure(t, `tags.${i + 1}.member`));
  c.throwIfAny();
  checkArnPrefix(input.ResourceArn!);
  checkTags(raw.Tags as unknown[]);
  const table = tableByArn(ctx, input.ResourceArn!);
  const tags = new Map(table.tags.map((t) => [t.Key, t.Value]));
  for (const t of input.Tags!) tags.set(t.Key!, t.Value!);
  checkTagCount(tags.size);
  ctx.db.transaction(() => {
    table.tags = [...tags].map(([Key, Value]) => ({ Key, Value }));
    ctx.catalog.save(table);
  });
  return {};
}

export function untagResource(
  ctx: EngineContext,
  input: Wire<Sdk.UntagResourceInput>,
): Record<string, never> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.ResourceArn, 'resourceArn');
  checkRequired(c, raw.TagKeys, 'tagKeys');
  checkList(c, raw.TagKeys, 'tagKeys');
  if (Array.isArray(raw.TagKeys)) raw.TagKeys.forEach((k, i) => checkLength(c, k, `tagKeys.${i + 1}.member`));
  checkLength(c, raw.ResourceArn, 'resourceArn', 1, 1283);
  c.throwIfAny();
  checkArnPrefix(input.ResourceArn!);
  checkTagKeys(raw.TagKeys as unknown[]);
  const table = tableByArn(ctx, input.ResourceArn!);
  const remove = new Set(input.TagKeys!);
  ctx.db.transaction(() => {
    table.tags = table.tags.filter((t) => !remove.has(t.Key));
    ctx.catalog.save(table);
  });
  return {};
}

export function listTagsOfResource(
  ctx: EngineContext,
  input: Wire<Sdk.ListTagsOfResourceInput>,
): Wire<Sdk.ListTagsOfResourceOutput> {
  const raw = asRecord(input);
  const c = new ConstraintErrors();
  checkRequired(c, raw.ResourceArn, 'resourceArn');
  c.throwIfAny();
  const table = tableByArn(ctx, input.ResourceArn!);
  const pageSize = 10;
  const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw validation('Invalid NextToken');
  const tags = table.tags.slice(start, start + pageSize);
  const out: Wire<Sdk.ListTagsOfResourceOutput> = { Tags: tags };
  if (start + pageSize < table.tags.length)
    out.NextToken = Buffer.from(String(start + pageSize)).toString('base64');
  return out;
}
