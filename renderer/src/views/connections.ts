// The connection switcher in the top bar, the dialog that manages connections, and the guard that
// asks before any write to a remote connection. The backend owns the list and refuses writes on
// read-only connections; this side marks remote connections (colour + name) and confirms writes.
import type { ConnectionInfo, ConnectionsState, StudioBackend } from '../backend/api.js';
import { BackendError, errorText } from '../backend/client.js';
import { clear, confirmDialog, h, modal, toast } from '../ui/dom.js';

/** The connection in use, as the write guard and the pages see it. */
export const connectionState: { state?: ConnectionsState; current?: ConnectionInfo } = {};

/** Backend methods that change data or tables, with what to tell the user about each. */
const WRITES: Record<string, (args: Record<string, unknown>) => string | null> = {
  putItem: (a) => `Save an item in ${String(a.table)}`,
  deleteItem: (a) => `Delete an item from ${String(a.table)}`,
  createTable: (a) => `Create table ${String(a.TableName)}`,
  deleteTable: (a) => `Delete table ${String(a.table)}`,
  createIndex: (a) => `Create an index on ${String(a.table)}`,
  deleteIndex: (a) => `Delete index ${String(a.index)} of ${String(a.table)}`,
  dumpImport: (a) => `Import a file into ${String(a.table)}`,
  // Table settings (workbench-api.ts). Bulk actions confirm with their count already, in chunks.
  changeTableSettings: (a) =>
    `Change the settings of ${String(a.table)} (${String((a.change as { kind?: unknown } | undefined)?.kind ?? 'change')})`,
  // A statement that only reads needs no confirmation.
  executeStatement: (a) =>
    /^\s*(select|exists|explain)\b/i.test(String(a.statement ?? ''))
      ? null
      : `Run ${String(a.statement).trim().slice(0, 200)}`,
};

/**
 * The backend with a confirmation before every write to a remote connection: the dialog names
 * the connection and what would be written; declining sends nothing.
 */
export function guardRemoteWrites(backend: StudioBackend): StudioBackend {
  const guarded = { ...backend } as unknown as Record<string, (args: unknown) => Promise<unknown>>;
  const raw = backend as unknown as Record<string, (args: unknown) => Promise<unknown>>;
  for (const [method, describe] of Object.entries(WRITES)) {
    guarded[method] = async (args: unknown) => {
      const c = connectionState.current;
      const what = describe((args ?? {}) as Record<string, unknown>);
      if (c?.remote && !c.readOnly && what) {
        const ok = await confirmDialog({
          title: `Write to ${c.name}?`,
          message: h(
            'span',
            null,
            `${what} on `,
            h('strong.remote-name', null, c.name),
            ` (${c.description}). This is not the embedded database.`,
          ),
          confirm: 'Write',
          danger: true,
          testId: 'remote-write-confirm',
          confirmTestId: 'remote-write-ok',
          cancelTestId: 'remote-write-cancel',
        });
        if (!ok) throw new BackendError('Cancelled', `Nothing was sent to ${c.name}`);
      }
      return raw[method]!(args);
    };
  }
  return guarded as unknown as StudioBackend;
}

/** The top bar's connection picker; `changed` runs after another connection is in use. */
export class ConnectionSwitcher {
  readonly element = h('div.connection-switcher');
  private readonly select = h('select.connection-select', {
    'aria-label': 'Connection',
    'data-testid': 'connection-select',
    onchange: () => void this.use(this.select.value),
  });
  private readonly badge = h('span.connection-badge', { 'data-testid': 'connection-badge' });

  constructor(
    private readonly backend: StudioBackend,
    private readonly changed: () => void,
  ) {
    this.element.append(
      this.badge,
      this.select,
      h(
        'button.small',
        {
          onclick: () => this.manage(),
          'data-testid': 'manage-connections',
          title: 'Add and edit connections',
        },
        'Connections…',
      ),
    );
  }

  async load(): Promise<void> {
    try {
      this.show(await this.backend.connections({ op: 'list' }));
    } catch (e) {
      toast(`Could not list connections: ${errorText(e)}`, 'error');
    }
  }

  private show(state: ConnectionsState): void {
    connectionState.state = state;
    connectionState.current = state.connections.find((c) => c.id === state.current);
    clear(
      this.select,
      state.connections.map((c) =>
        h(
          'option',
          { value: c.id, selected: c.id === state.current },
          `${c.name}${c.readOnly ? ' (read-only)' : ''}`,
        ),
      ),
    );
    const c = connectionState.current;
    document.body.classList.toggle('remote-connection', !!c?.remote);
    document.body.classList.toggle('read-only-connection', !!c?.readOnly);
    this.badge.textContent = c ? `${c.remote ? 'REMOTE' : 'LOCAL'}${c.readOnly ? ' · READ-ONLY' : ''}` : '';
    this.badge.title = c?.description ?? '';
  }

  private async use(id: string): Promise<void> {
    try {
      this.show(await this.backend.connections({ op: 'use', id }));
      this.changed();
    } catch (e) {
      toast(errorText(e), 'error');
      await this.load();
    }
  }

  private async apply(request: Parameters<StudioBackend['connections']>[0]): Promise<boolean> {
    try {
      const before = connectionState.state?.current;
      this.show(await this.backend.connections(request));
      if (connectionState.state?.current !== before) this.changed();
      return true;
    } catch (e) {
      toast(errorText(e), 'error');
      return false;
    }
  }

  /** The dialog: every connection (read-only switch, remove) and forms to add an endpoint or AWS. */
  private manage(): void {
    const m = modal('Connections', { wide: true, testId: 'connections-dialog' });
    const render = (): void => {
      const state = connectionState.state;
      if (!state) return;
      const rows = state.connections.map((c) =>
        h(
          'tr',
          { dataset: { connection: c.name } },
          h('td', null, h('strong', null, c.name), c.remote ? h('span.remote-tag', null, ' remote') : null),
          h('td.mono', null, c.description),
          h(
            'td',
            null,
            h(
              'label',
              null,
              h('input', {
                type: 'checkbox',
                checked: c.readOnly,
                'data-testid': `read-only-${c.name}`,
                onchange: (e: Event) =>
                  void this.apply({
                    op: 'setReadOnly',
                    id: c.id,
                    readOnly: (e.target as HTMLInputElement).checked,
                  }).then(render),
              }),
              ' read-only',
            ),
          ),
          h(
            'td',
            null,
            c.kind === 'embedded'
              ? null
              : h(
                  'button.small',
                  { onclick: () => void this.apply({ op: 'remove', id: c.id }).then(render) },
                  'Remove',
                ),
          ),
        ),
      );
      const name = h('input', {
        type: 'text',
        placeholder: 'Name (e.g. DynamoDB Local)',
        'data-testid': 'new-connection-name',
      });
      const url = h('input', {
        type: 'url',
        placeholder: 'http://localhost:8000',
        'data-testid': 'new-connection-endpoint',
      });
      const readOnly = h('input', { type: 'checkbox', 'data-testid': 'new-connection-read-only' });
      const awsName = h('input', { type: 'text', placeholder: 'Name (e.g. Production)' });
      const profile = h(
        'select',
        { 'aria-label': 'AWS profile' },
        h('option', { value: '' }, '(default credential chain)'),
        state.awsProfiles.map((p) => h('option', { value: p }, p)),
      );
      const region = h(
        'select',
        { 'aria-label': 'AWS region' },
        state.regions.map((r) => h('option', { value: r }, r)),
      );
      const awsReadOnly = h('input', { type: 'checkbox', checked: true });
      clear(
        m.body,
        h('table.data-table.connections-table', null, h('tbody', null, rows)),
        h(
          'form.connection-form',
          {
            onsubmit: (e: Event) => {
              e.preventDefault();
              void this.apply({
                op: 'add',
                name: name.value,
                endpoint: url.value,
                readOnly: readOnly.checked,
              }).then((ok) => {
                if (ok) render();
              });
            },
          },
          h('h3', null, 'Add an endpoint'),
          h('p.hint', null, 'DynamoDB Local, LocalStack, ScyllaDB Alternator, another Sortkey…'),
          name,
          url,
          h('label', null, readOnly, ' read-only'),
          h('button.primary.small', { type: 'submit', 'data-testid': 'add-endpoint' }, 'Add endpoint'),
        ),
        h(
          'form.connection-form',
          {
            onsubmit: (e: Event) => {
              e.preventDefault();
              void this.apply({
                op: 'add',
                name: awsName.value || `${profile.value || 'default'} · ${region.value}`,
                ...(profile.value ? { profile: profile.value } : {}),
                region: region.value,
                readOnly: awsReadOnly.checked,
              }).then((ok) => {
                if (ok) render();
              });
            },
          },
          h('h3', null, 'Add DynamoDB in an AWS account'),
          h(
            'p.hint',
            null,
            'Credentials come from your AWS configuration (profiles in ~/.aws, SSO, environment); the studio never stores or shows them.',
          ),
          awsName,
          profile,
          region,
          h('label', null, awsReadOnly, ' read-only'),
          h('button.primary.small', { type: 'submit' }, 'Add AWS connection'),
        ),
      );
    };
    render();
    m.footer.append(h('button', { onclick: () => m.close() }, 'Close'));
  }
}
