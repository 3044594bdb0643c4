import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CtHemorrhageError } from '../../errors/index.js';

/** Marker file that makes a folder a model (or checkpoint) folder the library may replace. */
const MARKER = 'model.json';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether process `pid` still runs (a save it started may still be in progress). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Leftover {
  readonly path: string;
  readonly kind: 'tmp' | 'old';
  readonly time: number;
}

/** Temporary and previous-version folders that a save of `dir` by a process that died left behind. */
async function deadLeftovers(dir: string): Promise<Leftover[]> {
  const parent = dirname(resolve(dir));
  const prefix = `.${basename(dir)}.`;
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const out: Leftover[] = [];
  for (const name of names) {
    const match = /^(tmp|old)-(\d+)-(\d+)-\d+$/.exec(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !match) continue;
    if (alive(Number(match[2]))) continue;
    out.push({ path: join(parent, name), kind: match[1] as 'tmp' | 'old', time: Number(match[3]) });
  }
  return out.sort((a, b) => b.time - a.time);
}

/**
 * Repairs what a save killed half-way left behind: when the folder itself is missing (the
 * process died between moving the previous version aside and moving the new one in), the
 * previous version is put back; stray temporary folders are removed. Saves by live processes
 * are left alone. Returns true when it put a previous version back.
 */
export async function recoverInterruptedSave(dir: string): Promise<boolean> {
  const leftovers = await deadLeftovers(dir);
  if (leftovers.length === 0) return false;
  let recovered = false;
  if (!(await exists(dir))) {
    const previous = leftovers.find((l) => l.kind === 'old');
    if (previous && (await exists(join(previous.path, MARKER)))) {
      await rename(previous.path, dir);
      recovered = true;
    }
  }
  // The one put back is gone from its old path; rm with force skips it.
  for (const l of leftovers) await rm(l.path, { recursive: true, force: true });
  return recovered;
}

/**
 * Writes `files` into the folder `dir` so that readers see the previous folder or the new one,
 * never a mixture: the files go to a temporary sibling folder, which is renamed into place.
 * A save killed at any moment leaves the previous folder, or its copy that
 * {@link recoverInterruptedSave} puts back.
 */
export async function writeFolderAtomically(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const parent = dirname(resolve(dir));
  await mkdir(parent, { recursive: true });
  await recoverInterruptedSave(dir);
  if (await exists(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Refusing to save into ${dir}: the folder holds other files and no ${MARKER}. ` +
          'Choose a new or empty folder, or one that already holds a saved model.',
        { file: dir },
      );
    }
  }
  const stamp = `${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${stamp}`);
  const old = join(parent, `.${basename(dir)}.old-${stamp}`);
  await mkdir(tmp);
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content);
    const hadOld = await exists(dir);
    if (hadOld) await rename(dir, old);
    try {
      await rename(tmp, dir);
    } catch (error) {
      if (hadOld) await rename(old, dir);
      throw error;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
