// Bulk actions on the selected rows of the table browser: delete them, or set or remove one
// attribute on each. Each asks first (with the count), then sends the keys in chunks (the backend
// batches and retries), showing progress with a Stop button, and reports what happened.
import type { Item, KeySchemaElement, StudioBackend } from '../backend/api.js';
import { errorText } from '../backend/client.js';
import { BULK_MAX_KEYS } from '../backend/workbench-api.js';
import type { BulkUpdateAction } from '../backend/workbench-api.js';
import { keyOf, parameterValue, TYPE_NAMES } from '../lib/values.js';
import type { TypeName } from '../lib/values.js';
import { confirmDialog, countOf, h, modal, toast } from '../ui/dom.js';

export interface BulkOutcome {
  /** Items deleted (as given). */
  deleted: Item[];
  /** Items as they are after an update. */
  updated: Item[];
}

/** Runs `work` over `items` in chunks with a progress dialog; returns when done or stopped. */
async function inChunks(
  title: string,
  items: Item[],
  work: (chunk: Item[]) => Promise<void>,
): Promise<{ stopped: boolean }> {
  let stopped = false;
  const m = modal(title, { testId: 'bulk-progress', beforeClose: () => ((stopped = true), false) });
  const bar = h('progress', { max: items.length, value: 0 });
  const line = h('p', { 'data-testid': 'bulk-progress-text' }, `0 of ${items.length}`);
  m.body.append(line, bar);
  m.footer.append(h('button', { onclick: () => (stopped = true), 'data-testid': 'bulk-stop' }, 'Stop'));
  try {
    for (let i = 0; i < items.length && !stopped; i += BULK_MAX_KEYS) {
      await work(items.slice(i, i + BULK_MAX_KEYS));
      const done = Math.min(items.length, i + BULK_MAX_KEYS);
      bar.value = done;
      line.textContent = `${done} of ${items.length}`;
    }
  } finally {
    m.close();
  }
  return { stopped };
}

export async function bulkDelete(
  backend: StudioBackend,
  table: string,
  keySchema: KeySchemaElement[],
  items: Item[],
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { deleted: [], updated: [] };
  const ok = await confirmDialog({
    title: `Delete ${countOf(items.length, 'item')}`,
    message: h(
      'span',
      null,
      'This deletes ',
      h('strong', { 'data-testid': 'bulk-confirm-count' }, countOf(items.length, 'selected item')),
      ` from ${table}. It cannot be undone.`,
    ),
    confirm: `Delete ${countOf(items.length, 'item')}`,
    danger: true,
    confirmTestId: 'bulk-confirm',
  });
  if (!ok) return outcome;
  const byKey = new Map(items.map((i) => [JSON.stringify(keyOf(i, keySchema)), i]));
  let unprocessed = 0;
  try {
    const { stopped } = await inChunks('Deleting items', items, async (chunk) => {
      const keys = chunk.map((i) => keyOf(i, keySchema));
      const r = await backend.bulkDelete({ table, keys });
      const left = new Set(r.unprocessed.map((k) => JSON.stringify(k)));
      unprocessed += r.unprocessed.length;
      for (const k of keys)
        if (!left.has(JSON.stringify(k))) outcome.deleted.push(byKey.get(JSON.stringify(k))!);
    });
    const summary = `Deleted ${countOf(outcome.deleted.length, 'item')}${stopped ? ' (stopped)' : ''}`;
    if (unprocessed > 0)
      toast(
        `${summary}; ${countOf(unprocessed, 'item')} stayed unprocessed after retries (throttled)`,
        'error',
      );
    else toast(summary, 'ok');
  } catch (e) {
    toast(`Deleted ${countOf(outcome.deleted.length, 'item')}, then: ${errorText(e)}`, 'error');
  }
  return outcome;
}

/** Asks for the attribute (and the value to set), then updates every item. */
export async function bulkUpdate(
  backend: StudioBackend,
  table: string,
  keySchema: KeySchemaElement[],
  items: Item[],
  kind: 'set' | 'remove',
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { deleted: [], updated: [] };
  const action = await askAction(kind, items.length, keySchema);
  if (!action) return outcome;
  let missing = 0;
  try {
    const { stopped } = await inChunks('Updating items', items, async (chunk) => {
      const r = await backend.bulkUpdate({ table, keys: chunk.map((i) => keyOf(i, keySchema)), action });
      outcome.updated.push(...r.updated);
      missing += r.missing.length;
    });
    const summary = `Updated ${countOf(outcome.updated.length, 'item')}${stopped ? ' (stopped)' : ''}`;
    toast(
      missing > 0 ? `${summary}; ${countOf(missing, 'item')} no longer existed (left alone)` : summary,
      missing > 0 ? 'info' : 'ok',
    );
  } catch (e) {
    toast(`Updated ${countOf(outcome.updated.length, 'item')}, then: ${errorText(e)}`, 'error');
  }
  return outcome;
}

function askAction(
  kind: 'set' | 'remove',
  count: number,
  keySchema: KeySchemaElement[],
): Promise<BulkUpdateAction | undefined> {
  return new Promise((resolve) => {
    let result: BulkUpdateAction | undefined;
    const m = modal(kind === 'set' ? 'Set an attribute' : 'Remove an attribute', {
      testId: 'bulk-update-dialog',
      onClose: () => resolve(result),
    });
    const error = h('div.form-error', { role: 'alert', 'data-testid': 'bulk-update-error' });
    const name = h('input', { type: 'text', 'aria-label': 'Attribute', 'data-testid': 'bulk-attribute' });
    let type: TypeName = 'S';
    const typeSelect = h(
      'select',
      {
        'aria-label': 'Type',
        'data-testid': 'bulk-type',
        onchange: (e: Event) => (type = (e.target as HTMLSelectElement).value as TypeName),
      },
      TYPE_NAMES.map((t) => h('option', { value: t }, t)),
    );
    const value = h('input', { type: 'text', 'aria-label': 'Value', 'data-testid': 'bulk-value' });
    m.body.append(
      h('label.field', null, h('span', null, 'Attribute'), name),
      kind === 'set' ? h('div.form-row', null, typeSelect, value) : '',
      h(
        'p.hint',
        null,
        kind === 'set'
          ? `Sets it on each of the ${countOf(count, 'selected item')} (UpdateItem per item; an item deleted meanwhile is left alone).`
          : `Removes it from each of the ${countOf(count, 'selected item')}.`,
      ),
      error,
    );
    const submit = (): void => {
      const attribute = name.value.trim();
      if (!attribute) return void (error.textContent = 'Name the attribute');
      if (keySchema.some((k) => k.AttributeName === attribute))
        return void (error.textContent = `"${attribute}" is part of the key: it cannot be changed`);
      if (kind === 'remove') result = { kind, attribute };
      else {
        try {
          result = { kind, attribute, value: parameterValue(type, value.value) };
        } catch (e) {
          error.textContent = (e as Error).message;
          return;
        }
      }
      m.close();
    };
    m.footer.append(
      h('button', { onclick: () => m.close() }, 'Cancel'),
      h(
        'button.primary',
        { onclick: submit, 'data-testid': 'bulk-update-confirm' },
        `${kind === 'set' ? 'Set on' : 'Remove from'} ${countOf(count, 'item')}`,
      ),
    );
    setTimeout(() => name.focus(), 0);
  });
}
