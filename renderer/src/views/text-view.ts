// A long JSON text (thousands of items as JSON or DynamoDB JSON) shown without freezing the page:
// only the lines in view (and a margin) are in the DOM, coloured as JSON; Copy and Download take
// the whole text. One `<pre>` of several megabytes takes the browser seconds to lay out.
import { h, toast } from '../ui/dom.js';

/** Height of one line in pixels (the CSS of .text-line sets the same). */
const LINE_HEIGHT = 18;
/** Lines drawn above and below the visible ones. */
const OVERSCAN = 40;

const TOKEN =
  /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],])/g;

/** One line of JSON as spans of its tokens (keys, strings, numbers, literals, punctuation). */
function colour(line: string): HTMLElement {
  const el = h('div.text-line');
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(line); m; m = TOKEN.exec(line)) {
    if (m.index > last) el.append(line.slice(last, m.index));
    if (m[1] !== undefined) {
      el.append(h('span', { class: m[2] !== undefined ? 'tok-key' : 'tok-string' }, m[1]));
      if (m[2] !== undefined) el.append(m[2]);
    } else if (m[3] !== undefined) el.append(h('span.tok-number', null, m[3]));
    else if (m[4] !== undefined) el.append(h('span.tok-literal', null, m[4]));
    else el.append(h('span.tok-punct', null, m[5]!));
    last = m.index + m[0].length;
  }
  if (last < line.length) el.append(line.slice(last));
  if (line === '') el.append('\u200b');
  return el;
}

export class TextView {
  readonly element: HTMLElement;
  private readonly scroller = h('div.text-scroller', { 'data-testid': 'results-text' });
  private readonly spacer = h('div.text-spacer');
  private readonly block = h('div.text-lines');
  private readonly info = h('span.text-info');
  private text = '';
  private lines: string[] = [];
  private drawn: [number, number] = [-1, -1];
  private fileName = 'items.json';

  constructor() {
    this.spacer.append(this.block);
    this.scroller.append(this.spacer);
    this.scroller.addEventListener('scroll', () => this.draw());
    this.element = h(
      'div.text-view',
      null,
      h(
        'div.text-toolbar',
        null,
        this.info,
        h('span.spacer'),
        h('button.small', { onclick: () => void this.copy(), 'data-testid': 'text-copy' }, 'Copy'),
        h('button.small', { onclick: () => this.download(), 'data-testid': 'text-download' }, 'Download'),
      ),
      this.scroller,
    );
    new ResizeObserver(() => this.draw(true)).observe(this.scroller);
  }

  /** Shows `text`; `fileName` names the download. */
  set(text: string, fileName: string): void {
    this.text = text;
    this.fileName = fileName;
    this.lines = text.split('\n');
    let widest = 0;
    for (const l of this.lines) if (l.length > widest) widest = l.length;
    this.spacer.style.height = `${this.lines.length * LINE_HEIGHT}px`;
    this.spacer.style.minWidth = `calc(${widest}ch + 24px)`;
    this.info.textContent = `${this.lines.length.toLocaleString('en-US')} lines · ${(text.length / 1024).toFixed(0)} KB`;
    this.scroller.scrollTop = 0;
    this.draw(true);
  }

  /** The whole text. */
  get value(): string {
    return this.text;
  }

  private draw(force = false): void {
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / LINE_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.lines.length,
      Math.ceil((this.scroller.scrollTop + height) / LINE_HEIGHT) + OVERSCAN,
    );
    if (!force && first === this.drawn[0] && last === this.drawn[1]) return;
    this.drawn = [first, last];
    this.block.style.top = `${first * LINE_HEIGHT}px`;
    const out: HTMLElement[] = [];
    for (let i = first; i < last; i++) out.push(colour(this.lines[i]!));
    this.block.replaceChildren(...out);
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text);
      toast(`Copied ${this.lines.length.toLocaleString('en-US')} lines`, 'ok');
    } catch {
      toast('The browser refused access to the clipboard: use Download', 'error');
    }
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([this.text], { type: 'application/json' }));
    const a = h('a', { href: url, download: this.fileName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
