// The table settings dialog: capacity and billing, table class, deletion protection, TTL, streams,
// point-in-time recovery, on-demand backups (create, list, restore to a new table, delete) and tags.
// Each control makes one change through the backend's changeTableSettings (one DynamoDB operation)
// and shows the settings as DynamoDB reports them afterwards.
import type { StudioBackend } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import type {
  SettingsChange,
  StreamViewType,
  TableClass,
  TableSettings,
  Tag,
} from '../backend/workbench-api.js';
import { clear, confirmDialog, dataTable, formatBytes, h, modal, promptDialog, toast } from '../ui/dom.js';

export const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'NEW_AND_OLD_IMAGES',
  'NEW_IMAGE',
  'OLD_IMAGE',
  'KEYS_ONLY',
];

export const TABLE_CLASSES: readonly { value: TableClass; label: string }[] = [
  { value: 'STANDARD', label: 'Standard' },
  { value: 'STANDARD_INFREQUENT_ACCESS', label: 'Standard-Infrequent Access' },
];

/** `team=data, env=dev` → tags (a value may hold `=`; tag text has no commas). */
export function parseTags(text: string): Tag[] {
  const tags: Tag[] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    const key = (eq < 0 ? t : t.slice(0, eq)).trim();
    if (!key) throw new Error(`"${t}" is not key=value`);
    tags.push({ Key: key, Value: eq < 0 ? '' : t.slice(eq + 1).trim() });
  }
  return tags;
}

function when(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '—';
}

export async function openTableSettings(
  backend: StudioBackend,
  table: string,
  callbacks: { onChanged(): void; onTableCreated(name: string): void },
): Promise<void> {
  const m = modal(`Settings of ${table}`, { wide: true, testId: 'table-settings' });
  const error = h('div.form-error', { role: 'alert', 'data-testid': 'settings-error' });
  const content = h('div.settings', null, h('span.spinner'), 'Reading settings…');
  m.body.append(error, content);
  m.footer.append(h('button', { onclick: () => m.close() }, 'Close'));
  let busy = false;

  const apply = async (change: SettingsChange, done: string): Promise<boolean> => {
    if (busy) return false;
    busy = true;
    error.textContent = '';
    content.classList.add('busy');
    try {
      render(await backend.changeTableSettings({ table, change }));
      toast(done, 'ok');
      callbacks.onChanged();
      return true;
    } catch (e) {
      error.textContent = errorText(e);
      return false;
    } finally {
      busy = false;
      content.classList.remove('busy');
    }
  };

  const section = (title: string, testId: string, ...children: (Node | null)[]): HTMLElement =>
    h('section.settings-section', { 'data-testid': testId }, h('h3', null, title), ...children);

  const render = (s: TableSettings): void => {
    // Capacity
    let mode = s.billingMode;
    const rcu = h('input', {
      type: 'number',
      min: '1',
      value: String(s.readCapacity ?? 5),
      'aria-label': 'Read capacity units',
      'data-testid': 'settings-rcu',
    });
    const wcu = h('input', {
      type: 'number',
      min: '1',
      value: String(s.writeCapacity ?? 5),
      'aria-label': 'Write capacity units',
      'data-testid': 'settings-wcu',
    });
    const capacity = h('span.inline-fields', { hidden: mode !== 'PROVISIONED' }, 'Read', rcu, 'Write', wcu);
    const billing = section(
      'Capacity',
      'settings-billing',
      h(
        'div.form-row',
        null,
        h(
          'select',
          {
            'aria-label': 'Billing mode',
            'data-testid': 'settings-billing-mode',
            onchange: (e: Event) => {
              mode = (e.target as HTMLSelectElement).value as TableSettings['billingMode'];
              capacity.hidden = mode !== 'PROVISIONED';
            },
          },
          h('option', { value: 'PAY_PER_REQUEST', selected: mode === 'PAY_PER_REQUEST' }, 'On-demand'),
          h('option', { value: 'PROVISIONED', selected: mode === 'PROVISIONED' }, 'Provisioned'),
        ),
        capacity,
        h(
          'button',
          {
            'data-testid': 'settings-billing-save',
            onclick: () =>
              void apply(
                mode === 'PROVISIONED'
                  ? { kind: 'billing', mode, read: Number(rcu.value), write: Number(wcu.value) }
                  : { kind: 'billing', mode },
                'Capacity changed',
              ),
          },
          'Apply',
        ),
      ),
    );

    // Table class and deletion protection
    const tableClass = section(
      'Table class',
      'settings-class',
      h(
        'div.form-row',
        null,
        h(
          'select',
          {
            'aria-label': 'Table class',
            'data-testid': 'settings-table-class',
            onchange: (e: Event) =>
              void apply(
                { kind: 'tableClass', tableClass: (e.target as HTMLSelectElement).value as TableClass },
                'Table class changed',
              ),
          },
          TABLE_CLASSES.map((c) =>
            h('option', { value: c.value, selected: c.value === s.tableClass }, c.label),
          ),
        ),
      ),
    );
    const protection = section(
      'Deletion protection',
      'settings-protection',
      h(
        'label.inline',
        null,
        h('input', {
          type: 'checkbox',
          checked: s.deletionProtection,
          'data-testid': 'settings-deletion-protection',
          onchange: (e: Event) =>
            void apply(
              { kind: 'deletionProtection', enabled: (e.target as HTMLInputElement).checked },
              'Deletion protection changed',
            ),
        }),
        'The table cannot be deleted while this is on',
      ),
    );

    // TTL
    const ttlOn = s.ttl.status === 'ENABLED' || s.ttl.status === 'ENABLING';
    const ttlAttribute = h('input', {
      type: 'text',
      value: s.ttl.attribute ?? '',
      placeholder: 'expiresAt',
      'aria-label': 'TTL attribute',
      'data-testid': 'settings-ttl-attribute',
      disabled: ttlOn,
    });
    const ttl = section(
      'Time to live',
      'settings-ttl',
      h(
        'div.form-row',
        null,
        h('span', { 'data-testid': 'settings-ttl-status' }, s.ttl.status),
        ttlAttribute,
        h(
          'button',
          {
            'data-testid': 'settings-ttl-toggle',
            onclick: () =>
              void apply(
                { kind: 'ttl', enabled: !ttlOn, attribute: ttlAttribute.value.trim() },
                ttlOn ? 'TTL disabled' : 'TTL enabled',
              ),
          },
          ttlOn ? 'Disable' : 'Enable',
        ),
      ),
      h('p.hint', null, 'Items whose TTL attribute holds an epoch time in seconds in the past are deleted.'),
    );

    // Streams
    let viewType: StreamViewType = s.stream.viewType ?? 'NEW_AND_OLD_IMAGES';
    const streams = section(
      'Stream',
      'settings-stream',
      h(
        'div.form-row',
        null,
        h(
          'span',
          { 'data-testid': 'settings-stream-status' },
          s.stream.enabled ? `ENABLED · ${s.stream.viewType}` : 'DISABLED',
        ),
        s.stream.enabled
          ? null
          : h(
              'select',
              {
                'aria-label': 'Stream view type',
                'data-testid': 'settings-stream-view',
                onchange: (e: Event) => (viewType = (e.target as HTMLSelectElement).value as StreamViewType),
              },
              STREAM_VIEW_TYPES.map((v) => h('option', { value: v, selected: v === viewType }, v)),
            ),
        h(
          'button',
          {
            'data-testid': 'settings-stream-toggle',
            onclick: () =>
              void apply(
                s.stream.enabled
                  ? { kind: 'stream', enabled: false }
                  : { kind: 'stream', enabled: true, viewType },
                s.stream.enabled ? 'Stream disabled' : 'Stream enabled',
              ),
          },
          s.stream.enabled ? 'Disable' : 'Enable',
        ),
      ),
      s.stream.arn ? h('p.hint', null, h('code', null, s.stream.arn)) : null,
    );

    // Point-in-time recovery
    const pitrOn = s.pitr.status === 'ENABLED';
    const pitr = section(
      'Point-in-time recovery',
      'settings-pitr',
      h(
        'div.form-row',
        null,
        h('span', { 'data-testid': 'settings-pitr-status' }, s.pitr.status),
        pitrOn
          ? h('span.hint', null, `restorable from ${when(s.pitr.earliest)} to ${when(s.pitr.latest)}`)
          : null,
        h(
          'button',
          {
            'data-testid': 'settings-pitr-toggle',
            onclick: () =>
              void apply({ kind: 'pitr', enabled: !pitrOn }, pitrOn ? 'PITR disabled' : 'PITR enabled'),
          },
          pitrOn ? 'Disable' : 'Enable',
        ),
        pitrOn
          ? h(
              'button',
              {
                'data-testid': 'settings-pitr-restore',
                onclick: async () => {
                  const target = await promptDialog(
                    'Restore to a new table',
                    'New table name',
                    `${table}-restored`,
                  );
                  if (target && (await apply({ kind: 'restoreLatest', target }, `Restoring into ${target}`)))
                    callbacks.onTableCreated(target);
                },
              },
              'Restore latest to a new table…',
            )
          : null,
      ),
    );

    // Backups
    const backupName = h('input', {
      type: 'text',
      placeholder: 'backup name',
      value: `${table}-${new Date().toISOString().slice(0, 10)}`,
      'aria-label': 'Backup name',
      'data-testid': 'settings-backup-name',
    });
    const backups = section(
      'On-demand backups',
      'settings-backups',
      h(
        'div.form-row',
        null,
        backupName,
        h(
          'button',
          {
            'data-testid': 'settings-backup-create',
            onclick: () =>
              void apply({ kind: 'createBackup', name: backupName.value.trim() }, 'Backup created'),
          },
          'Create backup',
        ),
      ),
      s.backups.length === 0
        ? h('p.hint', null, 'No backups of this table.')
        : dataTable(
            ['Name', 'Created', 'Status', 'Size', ''],
            s.backups.map((b) =>
              h(
                'tr',
                { 'data-testid': 'settings-backup-row' },
                h('td', null, b.name),
                h('td', null, when(b.created)),
                h('td', null, b.status),
                h('td', null, b.sizeBytes !== undefined ? formatBytes(b.sizeBytes) : '—'),
                h(
                  'td',
                  null,
                  h(
                    'button.small',
                    {
                      'data-testid': 'settings-backup-restore',
                      onclick: async () => {
                        const target = await promptDialog(
                          `Restore ${b.name} to a new table`,
                          'New table name',
                          `${table}-restored`,
                        );
                        if (
                          target &&
                          (await apply(
                            { kind: 'restoreBackup', arn: b.arn, target },
                            `Restoring into ${target}`,
                          ))
                        )
                          callbacks.onTableCreated(target);
                      },
                    },
                    'Restore…',
                  ),
                  h(
                    'button.small.danger-outline',
                    {
                      onclick: async () => {
                        const ok = await confirmDialog({
                          title: 'Delete backup',
                          message: `Delete the backup ${b.name}? It cannot be undone.`,
                          confirm: 'Delete backup',
                          danger: true,
                        });
                        if (ok) await apply({ kind: 'deleteBackup', arn: b.arn }, 'Backup deleted');
                      },
                    },
                    'Delete',
                  ),
                ),
              ),
            ),
          ),
    );

    // Tags
    const rows = s.tags.map((t) => ({ ...t }));
    const tagBox = h('div.tag-rows');
    const renderTags = (): void => {
      clear(
        tagBox,
        rows.map((t, i) =>
          h(
            'div.form-row',
            null,
            h('input', {
              type: 'text',
              value: t.Key,
              placeholder: 'key',
              'aria-label': 'Tag key',
              'data-testid': `settings-tag-key-${i}`,
              oninput: (e: Event) => (t.Key = (e.target as HTMLInputElement).value),
            }),
            h('input', {
              type: 'text',
              value: t.Value,
              placeholder: 'value',
              'aria-label': 'Tag value',
              'data-testid': `settings-tag-value-${i}`,
              oninput: (e: Event) => (t.Value = (e.target as HTMLInputElement).value),
            }),
            h(
              'button.icon-button',
              { 'aria-label': 'Remove tag', onclick: () => (rows.splice(i, 1), renderTags()) },
              '×',
            ),
          ),
        ),
      );
    };
    renderTags();
    const tags = section(
      'Tags',
      'settings-tags',
      tagBox,
      h(
        'div.form-row',
        null,
        h(
          'button',
          {
            'data-testid': 'settings-tag-add',
            onclick: () => (rows.push({ Key: '', Value: '' }), renderTags()),
          },
          '+ Tag',
        ),
        h(
          'button',
          {
            'data-testid': 'settings-tags-save',
            onclick: () => {
              const set = rows
                .filter((t) => t.Key.trim() !== '')
                .map((t) => ({ Key: t.Key.trim(), Value: t.Value }));
              const keep = new Set(set.map((t) => t.Key));
              const remove = s.tags.map((t) => t.Key).filter((k) => !keep.has(k));
              const changed = set.filter((t) => !s.tags.some((o) => o.Key === t.Key && o.Value === t.Value));
              void apply({ kind: 'tags', set: changed, remove }, 'Tags saved');
            },
          },
          'Save tags',
        ),
      ),
    );

    clear(
      content,
      h('p.hint', null, `Status ${s.status} · `, h('code', null, s.arn)),
      h('div.settings-grid', null, billing, tableClass, protection, ttl, streams, pitr, backups, tags),
    );
  };

  try {
    render(await backend.tableSettings({ table }));
  } catch (e) {
    clear(content);
    error.textContent = errorText(e);
  }
}
