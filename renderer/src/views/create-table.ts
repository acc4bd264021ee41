// The "create table" dialog: name, partition and sort key, billing mode, and any number of GSIs and
// LSIs with their projections. Builds DynamoDB's CreateTable input; the engine validates it.
import type {
  AttributeDefinition,
  CreateTableInput,
  KeySchemaElement,
  ScalarType,
  SecondaryIndexInput,
  StudioBackend,
} from '../backend/api.js';
import { errorText } from '../backend/client.js';
import type { SettingsChange, StreamViewType, TableClass, Tag } from '../backend/workbench-api.js';
import { clear, h, modal, toast } from '../ui/dom.js';
import { parseTags, STREAM_VIEW_TYPES, TABLE_CLASSES } from './table-settings.js';

interface KeyField {
  name: string;
  type: ScalarType;
}

interface IndexForm {
  kind: 'GSI' | 'LSI';
  name: string;
  pk: KeyField;
  sk: KeyField;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  include: string;
}

interface TableForm {
  name: string;
  pk: KeyField;
  sk: KeyField;
  billing: 'PAY_PER_REQUEST' | 'PROVISIONED';
  rcu: string;
  wcu: string;
  indexes: IndexForm[];
  tableClass: TableClass;
  deletionProtection: boolean;
  /** '' for no stream. */
  stream: StreamViewType | '';
  /** Tags as `key=value, key2=value2`. */
  tags: string;
  /** Set after creation (UpdateTimeToLive, UpdateContinuousBackups): CreateTable has no field. */
  ttlAttribute: string;
  pitr: boolean;
}

/** The CreateTable input for the form; throws Error with a message for the form. */
export function createTableInput(f: TableForm): CreateTableInput {
  const name = f.name.trim();
  if (!name) throw new Error('Give the table a name');
  if (!f.pk.name.trim()) throw new Error('The table needs a partition key');
  const defs = new Map<string, ScalarType>();
  const define = (k: KeyField, where: string): void => {
    const n = k.name.trim();
    const prev = defs.get(n);
    if (prev && prev !== k.type)
      throw new Error(`"${n}" is ${prev} in one key and ${k.type} in ${where}: an attribute has one type`);
    defs.set(n, k.type);
  };
  const keySchema = (pk: KeyField, sk: KeyField): KeySchemaElement[] => [
    { AttributeName: pk.name.trim(), KeyType: 'HASH' },
    ...(sk.name.trim() ? [{ AttributeName: sk.name.trim(), KeyType: 'RANGE' as const }] : []),
  ];
  define(f.pk, 'the table key');
  if (f.sk.name.trim()) define(f.sk, 'the table key');
  const provisioned = f.billing === 'PROVISIONED';
  const throughput = provisioned
    ? { ReadCapacityUnits: Number(f.rcu) || 5, WriteCapacityUnits: Number(f.wcu) || 5 }
    : undefined;
  const gsis: SecondaryIndexInput[] = [];
  const lsis: SecondaryIndexInput[] = [];
  for (const ix of f.indexes) {
    const ixName = ix.name.trim();
    if (!ixName) throw new Error(`Give the ${ix.kind} a name`);
    const pk = ix.kind === 'LSI' ? f.pk : ix.pk;
    if (!pk.name.trim()) throw new Error(`${ixName}: the index needs a partition key`);
    if (ix.kind === 'LSI' && !ix.sk.name.trim()) throw new Error(`${ixName}: a local index needs a sort key`);
    if (ix.kind === 'LSI' && !f.sk.name.trim())
      throw new Error('Local secondary indexes need a table with a sort key');
    define(pk, ixName);
    if (ix.sk.name.trim()) define(ix.sk, ixName);
    const projection: SecondaryIndexInput['Projection'] = { ProjectionType: ix.projection };
    if (ix.projection === 'INCLUDE') {
      const attrs = ix.include
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (attrs.length === 0) throw new Error(`${ixName}: INCLUDE needs the attributes to project`);
      projection.NonKeyAttributes = attrs;
    }
    const index: SecondaryIndexInput = {
      IndexName: ixName,
      KeySchema: keySchema(pk, ix.sk),
      Projection: projection,
    };
    if (ix.kind === 'GSI') {
      if (throughput) index.ProvisionedThroughput = throughput;
      gsis.push(index);
    } else lsis.push(index);
  }
  let tags: Tag[];
  try {
    tags = parseTags(f.tags);
  } catch (e) {
    throw new Error(`Tags: ${(e as Error).message}`);
  }
  const AttributeDefinitions: AttributeDefinition[] = [...defs].map(([AttributeName, AttributeType]) => ({
    AttributeName,
    AttributeType,
  }));
  return {
    TableName: name,
    AttributeDefinitions,
    KeySchema: keySchema(f.pk, f.sk),
    BillingMode: f.billing,
    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(f.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: f.stream } } : {}),
    ...(f.tableClass !== 'STANDARD' ? { TableClass: f.tableClass } : {}),
    ...(f.deletionProtection ? { DeletionProtectionEnabled: true } : {}),
    ...(tags.length ? { Tags: tags } : {}),
  };
}

function typeSelect(k: KeyField, label: string): HTMLSelectElement {
  return h(
    'select',
    {
      'aria-label': label,
      onchange: (e: Event) => (k.type = (e.target as HTMLSelectElement).value as ScalarType),
    },
    (['S', 'N', 'B'] as const).map((t) =>
      h('option', { value: t, selected: k.type === t }, { S: 'String', N: 'Number', B: 'Binary' }[t]),
    ),
  );
}

function nameInput(k: KeyField, label: string, testId?: string): HTMLInputElement {
  return h('input', {
    type: 'text',
    value: k.name,
    placeholder: label,
    'aria-label': label,
    'data-testid': testId,
    oninput: (e: Event) => (k.name = (e.target as HTMLInputElement).value),
  });
}

export function openCreateTable(
  backend: StudioBackend,
  onCreated: (name: string) => void | Promise<void>,
): void {
  const form: TableForm = {
    name: '',
    pk: { name: 'pk', type: 'S' },
    sk: { name: '', type: 'S' },
    billing: 'PAY_PER_REQUEST',
    rcu: '5',
    wcu: '5',
    indexes: [],
    tableClass: 'STANDARD',
    deletionProtection: false,
    stream: '',
    tags: '',
    ttlAttribute: '',
    pitr: false,
  };
  const m = modal('Create table', { wide: true, testId: 'create-table' });
  const error = h('div.form-error', { role: 'alert', 'data-testid': 'create-error' });
  const indexesBox = h('div.index-forms');
  const capacityBox = h('div.form-row', { hidden: true });

  const renderIndexes = (): void => {
    clear(
      indexesBox,
      form.indexes.map((ix, i) =>
        h(
          'fieldset.index-form',
          null,
          h('legend', null, ix.kind === 'GSI' ? 'Global secondary index' : 'Local secondary index'),
          h(
            'div.form-row',
            null,
            h(
              'label.field',
              null,
              h('span', null, 'Index name'),
              h('input', {
                type: 'text',
                value: ix.name,
                'aria-label': 'Index name',
                'data-testid': `index-name-${i}`,
                oninput: (e: Event) => (ix.name = (e.target as HTMLInputElement).value),
              }),
            ),
            h(
              'button.icon-button',
              { 'aria-label': 'Remove index', onclick: () => (form.indexes.splice(i, 1), renderIndexes()) },
              '×',
            ),
          ),
          ix.kind === 'GSI'
            ? h(
                'div.form-row',
                null,
                h('span.builder-label', null, 'Partition key'),
                nameInput(ix.pk, 'Index partition key', `index-pk-${i}`),
                typeSelect(ix.pk, 'Index partition key type'),
              )
            : h(
                'div.form-row',
                null,
                h('span.builder-label', null, 'Partition key'),
                h('span.hint', null, 'the table’s'),
              ),
          h(
            'div.form-row',
            null,
            h('span.builder-label', null, 'Sort key'),
            nameInput(
              ix.sk,
              ix.kind === 'GSI' ? 'Index sort key (optional)' : 'Index sort key',
              `index-sk-${i}`,
            ),
            typeSelect(ix.sk, 'Index sort key type'),
          ),
          h(
            'div.form-row',
            null,
            h('span.builder-label', null, 'Projection'),
            h(
              'select',
              {
                'aria-label': 'Projection',
                onchange: (e: Event) => (
                  (ix.projection = (e.target as HTMLSelectElement).value as IndexForm['projection']),
                  renderIndexes()
                ),
              },
              (['ALL', 'KEYS_ONLY', 'INCLUDE'] as const).map((p) =>
                h('option', { value: p, selected: ix.projection === p }, p),
              ),
            ),
            ix.projection === 'INCLUDE'
              ? h('input', {
                  type: 'text',
                  value: ix.include,
                  placeholder: 'attributes, comma-separated',
                  'aria-label': 'Projected attributes',
                  oninput: (e: Event) => (ix.include = (e.target as HTMLInputElement).value),
                })
              : null,
          ),
        ),
      ),
    );
  };

  const billing = h(
    'select',
    {
      'aria-label': 'Billing mode',
      onchange: (e: Event) => {
        form.billing = (e.target as HTMLSelectElement).value as TableForm['billing'];
        capacityBox.hidden = form.billing !== 'PROVISIONED';
      },
    },
    h('option', { value: 'PAY_PER_REQUEST' }, 'On-demand (pay per request)'),
    h('option', { value: 'PROVISIONED' }, 'Provisioned capacity'),
  );
  capacityBox.append(
    h(
      'label.field',
      null,
      h('span', null, 'Read capacity units'),
      h('input', {
        type: 'number',
        min: '1',
        value: form.rcu,
        oninput: (e: Event) => (form.rcu = (e.target as HTMLInputElement).value),
      }),
    ),
    h(
      'label.field',
      null,
      h('span', null, 'Write capacity units'),
      h('input', {
        type: 'number',
        min: '1',
        value: form.wcu,
        oninput: (e: Event) => (form.wcu = (e.target as HTMLInputElement).value),
      }),
    ),
  );
  const nameField = h('input', {
    type: 'text',
    placeholder: 'Orders',
    'aria-label': 'Table name',
    'data-testid': 'table-name',
    oninput: (e: Event) => (form.name = (e.target as HTMLInputElement).value),
  });
  m.body.append(
    h('label.field', null, h('span', null, 'Table name'), nameField),
    h(
      'div.form-row',
      null,
      h('span.builder-label', null, 'Partition key'),
      nameInput(form.pk, 'Partition key', 'pk-name'),
      typeSelect(form.pk, 'Partition key type'),
    ),
    h(
      'div.form-row',
      null,
      h('span.builder-label', null, 'Sort key'),
      nameInput(form.sk, 'Sort key (optional)', 'sk-name'),
      typeSelect(form.sk, 'Sort key type'),
    ),
    h('div.form-row', null, h('span.builder-label', null, 'Billing'), billing),
    capacityBox,
    indexesBox,
    h(
      'details.more-settings',
      { 'data-testid': 'create-more' },
      h('summary', null, 'More settings: class, protection, stream, TTL, recovery, tags'),
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'Table class'),
        h(
          'select',
          {
            'aria-label': 'Table class',
            'data-testid': 'create-table-class',
            onchange: (e: Event) => (form.tableClass = (e.target as HTMLSelectElement).value as TableClass),
          },
          TABLE_CLASSES.map((c) => h('option', { value: c.value }, c.label)),
        ),
        h(
          'label.inline',
          null,
          h('input', {
            type: 'checkbox',
            'data-testid': 'create-deletion-protection',
            onchange: (e: Event) => (form.deletionProtection = (e.target as HTMLInputElement).checked),
          }),
          'Deletion protection',
        ),
      ),
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'Stream'),
        h(
          'select',
          {
            'aria-label': 'Stream',
            'data-testid': 'create-stream',
            onchange: (e: Event) =>
              (form.stream = (e.target as HTMLSelectElement).value as TableForm['stream']),
          },
          h('option', { value: '' }, 'Off'),
          STREAM_VIEW_TYPES.map((v) => h('option', { value: v }, v)),
        ),
      ),
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'TTL attribute'),
        h('input', {
          type: 'text',
          placeholder: 'off (e.g. expiresAt)',
          'aria-label': 'TTL attribute',
          'data-testid': 'create-ttl',
          oninput: (e: Event) => (form.ttlAttribute = (e.target as HTMLInputElement).value.trim()),
        }),
        h(
          'label.inline',
          null,
          h('input', {
            type: 'checkbox',
            'data-testid': 'create-pitr',
            onchange: (e: Event) => (form.pitr = (e.target as HTMLInputElement).checked),
          }),
          'Point-in-time recovery',
        ),
      ),
      h(
        'div.form-row',
        null,
        h('span.builder-label', null, 'Tags'),
        h('input.wide', {
          type: 'text',
          placeholder: 'team=data, env=dev',
          'aria-label': 'Tags',
          'data-testid': 'create-tags',
          oninput: (e: Event) => (form.tags = (e.target as HTMLInputElement).value),
        }),
      ),
    ),
    h(
      'div.form-row',
      null,
      h(
        'button',
        {
          onclick: () => (
            form.indexes.push({
              kind: 'GSI',
              name: '',
              pk: { name: '', type: 'S' },
              sk: { name: '', type: 'S' },
              projection: 'ALL',
              include: '',
            }),
            renderIndexes()
          ),
          'data-testid': 'add-gsi',
        },
        '+ Global index',
      ),
      h(
        'button',
        {
          onclick: () => (
            form.indexes.push({
              kind: 'LSI',
              name: '',
              pk: form.pk,
              sk: { name: '', type: 'S' },
              projection: 'ALL',
              include: '',
            }),
            renderIndexes()
          ),
        },
        '+ Local index',
      ),
    ),
    error,
  );
  const create = h(
    'button.primary',
    {
      'data-testid': 'create-submit',
      onclick: async () => {
        let input: CreateTableInput;
        try {
          input = createTableInput(form);
        } catch (e) {
          error.textContent = (e as Error).message;
          return;
        }
        create.disabled = true;
        try {
          const t = await backend.createTable(input);
          // TTL and point-in-time recovery have no CreateTable field: each is its own call after.
          const after: SettingsChange[] = [];
          if (form.ttlAttribute) after.push({ kind: 'ttl', enabled: true, attribute: form.ttlAttribute });
          if (form.pitr) after.push({ kind: 'pitr', enabled: true });
          for (const change of after) {
            try {
              await backend.changeTableSettings({ table: t.name, change });
            } catch (e) {
              toast(
                `Created ${t.name}, but ${change.kind === 'ttl' ? 'TTL' : 'point-in-time recovery'} failed: ${errorText(e)}`,
                'error',
              );
            }
          }
          toast(`Created table ${t.name}`, 'ok');
          m.close();
          await onCreated(t.name);
        } catch (e) {
          error.textContent = errorText(e);
        } finally {
          create.disabled = false;
        }
      },
    },
    'Create table',
  );
  m.footer.append(h('button', { onclick: () => m.close() }, 'Cancel'), create);
  // A problem shown for the form is checked again as the form changes: it goes away once fixed
  // (or says what is wrong now) instead of staying as it was at the last Create.
  const recheck = (): void => {
    if (!error.textContent) return;
    try {
      createTableInput(form);
      error.textContent = '';
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  };
  m.body.addEventListener('input', recheck);
  m.body.addEventListener('change', recheck);
  setTimeout(() => nameField.focus(), 0);
}
