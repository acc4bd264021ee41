// Unpacking an uploaded export-folder archive (main/studio/untar.ts, node-tar underneath): .tar and
// .tar.gz, ustar and GNU long names, only files and folders written; a hostile archive (a path
// leaving the folder, a link) is refused as a whole and nothing lands outside the target folder;
// a damaged archive fails with a plain message.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Header } from 'tar';
import type { HeaderData } from 'tar';
import { archiveKind, safeRelativePath, untar } from '../../../main/studio/untar.js';

/** A tar archive of these entries, header by header (so that hostile ones can be written at all). */
function tarOf(entries: (HeaderData & { data?: string })[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { data, ...fields } of entries) {
    const body = Buffer.from(data ?? '');
    const header = new Header({ mode: 0o644, mtime: new Date(0), size: body.length, ...fields });
    header.encode();
    blocks.push(header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Every path below `dir`, relative to it. */
function below(dir: string): string[] {
  return existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).sort() : [];
}

describe('studio: unpacking an export-folder archive', () => {
  let dir: string;
  /** A folder beside the target, where a hostile archive would like to write. */
  let outside: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sortkey-untar-'));
    outside = join(dir, 'outside');
    mkdirSync(outside);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `bytes` as an archive file and unpacks it into a fresh folder inside `dir`. */
  async function unpack(name: string, bytes: Buffer): Promise<{ into: string; files: number }> {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const into = join(dir, `into-${name}`);
    return { into, files: await untar(file, into) };
  }

  it('unpacks a .tar and a .tar.gz: files and folders at their paths', async () => {
    const entries = [
      { path: 'things/', type: 'Directory' as const, mode: 0o755 },
      { path: 'things/manifest-summary.json', data: '{"itemCount":1}' },
      { path: 'things/data/part-1.json', data: '{"Item":{}}\n' },
    ];
    for (const [name, bytes, kind] of [
      ['plain.tar', tarOf(entries), 'tar'],
      ['packed.tar.gz', gzipSync(tarOf(entries)), 'tar.gz'],
    ] as const) {
      const { into, files } = await unpack(name, bytes);
      assert.equal(archiveKind(join(dir, name)), kind);
      assert.equal(files, 2, name);
      assert.deepEqual(below(into), [
        'things',
        'things/data',
        'things/data/part-1.json',
        'things/manifest-summary.json',
      ]);
      assert.equal(readFileSync(join(into, 'things/data/part-1.json'), 'utf8'), '{"Item":{}}\n');
    }
  });

  it('reads GNU tar’s long names (over 100 bytes) and pax paths', async () => {
    const src = join(dir, 'long-src');
    const deep = join('top', 'd'.repeat(120), 'e'.repeat(120));
    mkdirSync(join(src, deep), { recursive: true });
    writeFileSync(join(src, deep, 'f'.repeat(110) + '.json'), 'long');
    for (const format of ['gnu', 'posix']) {
      const archive = join(dir, `long-${format}.tgz`);
      execFileSync('tar', ['-czf', archive, `--format=${format}`, '-C', src, 'top']);
      const into = join(dir, `into-long-${format}`);
      assert.equal(await untar(archive, into), 1, format);
      assert.equal(readFileSync(join(into, deep, 'f'.repeat(110) + '.json'), 'utf8'), 'long', format);
    }
  });

  it('refuses a path that leaves the folder, and writes nothing outside it', async () => {
    for (const path of ['../outside/escaped.json', 'things/../../outside/escaped.json', 'C:/escaped.json']) {
      const name = `dots-${path.length}.tar`;
      await assert.rejects(
        unpack(
          name,
          tarOf([
            { path: 'things/ok.json', data: 'ok' },
            { path, data: 'evil' },
          ]),
        ),
        (e: Error) => e.message === `${JSON.stringify(path)} is not a path inside the folder`,
        path,
      );
      assert.deepEqual(below(outside), [], path);
      assert.ok(!below(join(dir, `into-${name}`)).some((p) => p.includes('escaped')), path);
    }
    // A leading '/' is not a way out: the path is read inside the folder (as GNU tar does).
    const { into } = await unpack('absolute.tar', tarOf([{ path: '/abs.json', data: 'x' }]));
    assert.deepEqual(below(into), ['abs.json']);
  });

  it('refuses a symbolic link (and a file written through it) or a hard link: only files and folders', async () => {
    const hostile = tarOf([
      { path: 'things/link', type: 'SymbolicLink', linkpath: outside, size: 0 },
      { path: 'things/link/escaped.json', data: 'evil' },
    ]);
    for (const [name, bytes] of [
      ['symlink.tar', hostile],
      ['symlink.tar.gz', gzipSync(hostile)],
    ] as const)
      await assert.rejects(
        unpack(name, bytes),
        (e: Error) => e.message === '"things/link" is a symbolic link: only files and folders are unpacked',
        name,
      );
    await assert.rejects(
      unpack('hardlink.tar', tarOf([{ path: 'passwd', type: 'Link', linkpath: '/etc/passwd', size: 0 }])),
      /"passwd" is a hard link: only files and folders are unpacked/,
    );
    assert.deepEqual(below(outside), []);
    assert.deepEqual(below(join(dir, 'into-symlink.tar')), []);
  });

  it('fails with a plain message on a damaged or truncated archive, or one that is not a tar', async () => {
    const good = tarOf([{ path: 'things/data.json', data: 'x'.repeat(2000) }]);
    await assert.rejects(unpack('truncated.tar', good.subarray(0, 1500)), {
      message: 'the archive ends in the middle of a file',
    });
    const damaged = Buffer.from(good);
    damaged[10] = 0x41; // a byte of the header's name: its checksum no longer holds
    await assert.rejects(unpack('damaged.tar', damaged), /^Error: the archive is damaged \(/);
    await assert.rejects(unpack('zeros.tar', Buffer.alloc(1024)), {
      message: 'the archive is not a tar file',
    });
    const gz = gzipSync(good);
    await assert.rejects(unpack('cut.tar.gz', gz.subarray(0, gz.length - 12)), /gzip data is damaged/);
    assert.equal(archiveKind(join(dir, 'zeros.tar')), undefined);
  });

  it('keeps folder uploads inside the folder too (safeRelativePath)', () => {
    assert.deepEqual(safeRelativePath('things/./data\\part.json'), ['things', 'data', 'part.json']);
    assert.throws(() => safeRelativePath('../x'), /not a path inside the folder/);
    assert.throws(() => safeRelativePath('/'), /not a path inside the folder/);
  });
});
