import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import type { checkpointStore } from './harness';

/**
 * A mock action context for the portal actions. Unlike `createMockActionContext` alone it
 * honours `isDryRun`, can share checkpoints between runs, and hands out real temporary
 * directories (the mock returns the workspace itself, which `fetch:template` would fill).
 */
export function portalContext(options: {
  input: unknown;
  workspacePath: string;
  isDryRun?: boolean;
  checkpoints?: ReturnType<typeof checkpointStore>;
  /** Parent of the directories `createTemporaryDirectory` returns. */
  temporaryRoot?: string;
  /** The task running the step (default: the mock's `mock-task-id`). */
  taskId?: string;
}) {
  const outputs: Record<string, unknown> = {};
  const ctx: ActionContext<any, any> = {
    ...createMockActionContext({
      input: options.input as JsonObject,
      workspacePath: options.workspacePath,
      ...(options.taskId ? { task: { id: options.taskId } } : {}),
    }),
    isDryRun: options.isDryRun ?? false,
    output: (name: string | number | symbol, value: unknown) => {
      outputs[String(name)] = value;
    },
  };
  if (options.checkpoints) {
    ctx.checkpoint = options.checkpoints.checkpoint as typeof ctx.checkpoint;
  }
  const temporaryRoot = options.temporaryRoot;
  if (temporaryRoot) {
    ctx.createTemporaryDirectory = async () =>
      fs.promises.mkdtemp(path.join(temporaryRoot, 'tmp-'));
  }
  return { ctx, outputs };
}

/** Runs the git CLI with no global or system configuration; returns trimmed stdout. */
export function gitCli(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: os.devNull,
      GIT_TERMINAL_PROMPT: '0',
    },
  }).trim();
}

/** Every file and directory below `dir`, relative, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map(entry => entry.split(path.sep).join('/'))
    .sort();
}

/** Writes `files` (relative path to content) below `dir`, creating directories. */
export function writeFiles(dir: string, files: Record<string, string>) {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
