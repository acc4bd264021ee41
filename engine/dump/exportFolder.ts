// DynamoDB's export-to-S3 layout on a local disk, as `aws s3 sync` brings it down or as Sortkey's
// ExportTableToPointInTime and `sortkey export --format export-folder` write it:
//
//   <prefix>/AWSDynamoDB/<ExportId>/manifest-summary.json   one JSON object: table ARN, item count, format
//   <prefix>/AWSDynamoDB/<ExportId>/manifest-files.json     JSON lines: itemCount, md5Checksum, dataFileS3Key
//   <prefix>/AWSDynamoDB/<ExportId>/data/<name>.json.gz     DynamoDB JSON lines {"Item":{…}}
//   (+ manifest-*.checksum / .md5 and an empty _started)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface ExportDataFile {
  readonly path: string;
  readonly itemCount?: number;
  /** Base64 MD5 of the (compressed) file, as the manifest gives it. */
  readonly md5?: string;
}

export interface ExportFolder {
  /** The folder holding the manifests. */
  readonly dir: string;
  /** The exported table's name, from the summary's table ARN. */
  readonly table?: string;
  readonly itemCount?: number;
  readonly files: ExportDataFile[];
  readonly warnings: string[];
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function exportDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (existsSync(join(dir, 'manifest-files.json')) || existsSync(join(dir, 'manifest-summary.json'))) {
      found.push(dir);
      return;
    }
    if (depth <= 0) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory() && e !== 'data') walk(p, depth - 1);
      } catch {
        // unreadable: skip
      }
    }
  };
  walk(root, 4);
  return found;
}

function startTime(dir: string): string {
  try {
    const s = readJson(join(dir, 'manifest-summary.json'));
    return String(s.startTime ?? s.exportTime ?? '');
  } catch {
    return '';
  }
}

/**
 * Finds the export in `path` (the export folder itself, a folder above it such as the bucket
 * prefix, or one of its manifest files) and lists its data files with what the manifest says
 * about them.
 */
export function locateExport(path: string): ExportFolder {
  const warnings: string[] = [];
  let dir = path;
  if (!statSync(path).isDirectory()) {
    const name = basename(path);
    if (name !== 'manifest-summary.json' && name !== 'manifest-files.json')
      throw new Error(`${path} is not an export folder or manifest`);
    dir = dirname(path);
  } else {
    const dirs = exportDirs(path);
    if (dirs.length === 0) {
      // No manifest: take the data files as they are.
      const data = existsSync(join(path, 'data')) ? join(path, 'data') : path;
      const files = readdirSync(data)
        .filter((f) => f.endsWith('.json.gz') || f.endsWith('.json'))
        .sort()
        .map((f) => ({ path: join(data, f) }));
      if (files.length === 0)
        throw new Error(`${path} holds no DynamoDB export (no manifest-files.json, no data/*.json.gz)`);
      warnings.push(
        `${path} has no manifest: reading ${files.length} data file(s) without checking item counts`,
      );
      return { dir: path, files, warnings };
    }
    if (dirs.length > 1) {
      dirs.sort((a, b) => startTime(a).localeCompare(startTime(b)));
      warnings.push(`${path} holds ${dirs.length} exports; reading the latest, ${dirs[dirs.length - 1]}`);
    }
    dir = dirs[dirs.length - 1]!;
  }
  let table: string | undefined;
  let itemCount: number | undefined;
  const summaryPath = join(dir, 'manifest-summary.json');
  if (existsSync(summaryPath)) {
    const s = readJson(summaryPath);
    const format = s.outputFormat ?? s.exportFormat;
    if (format !== undefined && format !== 'DYNAMODB_JSON') {
      throw new Error(`the export in ${dir} is in ${String(format)}; Sortkey reads DYNAMODB_JSON exports`);
    }
    const arn = typeof s.tableArn === 'string' ? s.tableArn : undefined;
    if (arn && arn.includes(':table/')) table = arn.slice(arn.indexOf(':table/') + 7).split('/')[0];
    if (typeof s.itemCount === 'number') itemCount = s.itemCount;
  } else {
    warnings.push(`${dir} has no manifest-summary.json`);
  }
  const filesPath = join(dir, 'manifest-files.json');
  const files: ExportDataFile[] = [];
  if (existsSync(filesPath)) {
    const lines = readFileSync(filesPath, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${filesPath}:${i + 1}: not valid JSON`);
      }
      const key = entry.dataFileS3Key;
      if (typeof key !== 'string') throw new Error(`${filesPath}:${i + 1}: no dataFileS3Key`);
      const candidates = [join(dir, 'data', basename(key)), join(dir, basename(key))];
      const found = candidates.find((c) => existsSync(c));
      if (!found)
        throw new Error(
          `${filesPath}:${i + 1}: the data file ${key} is missing (looked for ${candidates[0]})`,
        );
      files.push({
        path: found,
        ...(typeof entry.itemCount === 'number' ? { itemCount: entry.itemCount } : {}),
        ...(typeof entry.md5Checksum === 'string' ? { md5: entry.md5Checksum } : {}),
      });
    });
  } else {
    const data = join(dir, 'data');
    for (const f of existsSync(data) ? readdirSync(data).sort() : []) {
      if (f.endsWith('.json.gz') || f.endsWith('.json')) files.push({ path: join(data, f) });
    }
    warnings.push(`${dir} has no manifest-files.json: reading data/ without checking item counts`);
  }
  return {
    dir,
    ...(table !== undefined ? { table } : {}),
    ...(itemCount !== undefined ? { itemCount } : {}),
    files,
    warnings,
  };
}

/** True when the path looks like an export folder or one of its manifests. */
export function looksLikeExport(path: string): boolean {
  try {
    if (!statSync(path).isDirectory())
      return basename(path) === 'manifest-summary.json' || basename(path) === 'manifest-files.json';
    return true;
  } catch {
    return false;
  }
}
