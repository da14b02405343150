import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import {
  isChildPath,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { fieldError } from '../input';

/**
 * Resolves a path given in action input to a path inside the workspace. Absolute paths,
 * `..` that climbs out, and symbolic links that lead out are refused with an InputError
 * naming the field.
 */
export function resolveWorkspacePath(
  workspacePath: string,
  relativePath: string,
  field: string,
): string {
  if (relativePath.includes('\0')) {
    throw fieldError(field, 'must not contain NUL');
  }
  if (path.isAbsolute(relativePath)) {
    throw fieldError(
      field,
      'must be a path relative to the workspace, got an absolute path',
    );
  }
  let resolved: string;
  try {
    resolved = resolveSafeChildPath(workspacePath, relativePath);
  } catch (error) {
    if (error instanceof NotAllowedError) {
      throw fieldError(field, `'${relativePath}' points outside the workspace`);
    }
    // e.g. ENOTDIR when a part of the path is a file
    const code = errnoCode(error) ?? String(error);
    throw fieldError(
      field,
      `'${relativePath}' cannot be used as a path in the workspace (${code})`,
    );
  }
  if (resolved === path.resolve(workspacePath)) {
    throw fieldError(field, 'must name a file inside the workspace');
  }
  return resolved;
}

/** A file an action writes: its path (from {@link resolveWorkspacePath}) and text. */
export type WorkspaceFile = { path: string; content: string };

/**
 * Writes files into the workspace. Directories are created as needed and checked again
 * after creation, and the file itself is opened without following a symbolic link, so a
 * link planted in the workspace cannot redirect the write elsewhere.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  files: WorkspaceFile[],
): Promise<void> {
  for (const file of files) {
    const dir = path.dirname(file.path);
    await fs.mkdir(dir, { recursive: true });
    if (!isChildPath(workspacePath, dir)) {
      throw new InputError(
        `Refusing to write '${path.relative(
          workspacePath,
          file.path,
        )}': its directory leads outside the workspace`,
      );
    }
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(
        file.path,
        constants.O_WRONLY |
          constants.O_CREAT |
          constants.O_TRUNC |
          constants.O_NOFOLLOW,
        0o644,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
        throw new InputError(
          `Refusing to write '${path.relative(
            workspacePath,
            file.path,
          )}': it is a symbolic link`,
        );
      }
      throw error;
    }
    try {
      await handle.writeFile(file.content, 'utf8');
    } finally {
      await handle.close();
    }
  }
}

/** The workspace-relative form of a resolved path, with forward slashes. */
export function relativeToWorkspace(workspacePath: string, file: string) {
  return path.relative(workspacePath, file).split(path.sep).join('/');
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Refuses, before anything is written, a target that would make a later write fail
 * half-way: an existing link, directory or other non-regular file where a file goes,
 * and a non-directory or broken link where a directory goes.
 */
export async function assertWritable(
  workspacePath: string,
  files: WorkspaceFile[],
  field: string,
) {
  const refuse = (target: string, reason: string) =>
    fieldError(
      field,
      `'${relativeToWorkspace(workspacePath, target)}' ${reason}`,
    );
  for (const file of files) {
    try {
      const stat = await fs.lstat(file.path);
      if (stat.isSymbolicLink()) {
        throw refuse(file.path, 'is a symbolic link');
      }
      if (!stat.isFile()) {
        throw refuse(file.path, 'exists and is not a regular file');
      }
    } catch (error) {
      if (error instanceof InputError) {
        throw error;
      }
      const code = errnoCode(error);
      if (code === 'ENAMETOOLONG' || code === 'ELOOP') {
        throw refuse(file.path, `cannot be written (${code})`);
      }
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw error;
      }
    }
    // Up to the first directory that exists; the rest mkdir creates.
    for (
      let dir = path.dirname(file.path);
      dir !== path.resolve(workspacePath) && dir !== path.dirname(dir);
      dir = path.dirname(dir)
    ) {
      try {
        if (!(await fs.stat(dir)).isDirectory()) {
          throw refuse(dir, 'exists and is not a directory');
        }
        break;
      } catch (error) {
        if (error instanceof InputError) {
          throw error;
        }
        const code = errnoCode(error);
        if (code === 'ENOENT' && (await fs.lstat(dir).catch(() => undefined))) {
          throw refuse(dir, 'is a symbolic link to nothing');
        }
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          throw error;
        }
      }
    }
  }
}

/**
 * Moves everything below `from` into the same place below `to` (the workspace), file by
 * file with `rename`: each file appears whole or not at all, so a step interrupted here
 * and run again after a restart finds no half-written file. A file (or link) that
 * exists already is kept, as `fetch:template` keeps it; nothing lands outside `to`, even
 * through a symbolic link in it. `from` must be on the same file system.
 */
export async function moveIntoWorkspace(from: string, to: string) {
  const walk = async (relative: string) => {
    for (const entry of await fs.readdir(path.join(from, relative), {
      withFileTypes: true,
    })) {
      const child = path.join(relative, entry.name);
      const target = resolveSafeChildPath(to, child);
      const existing = await fs.lstat(target).catch(() => undefined);
      if (entry.isDirectory()) {
        if (!existing) {
          await fs.mkdir(target, { recursive: true });
        }
        if (!existing || existing.isDirectory()) {
          await walk(child);
        }
      } else if (!existing) {
        await fs.rename(path.join(from, child), target);
      }
    }
  };
  await walk('');
}
