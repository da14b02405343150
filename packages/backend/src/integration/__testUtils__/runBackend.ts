import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The backend package directory; config paths in the tests are relative to it. */
export const BACKEND_DIR = path.resolve(__dirname, '../../..');

/**
 * The loader `backstage-cli package start` runs the backend with, without its file
 * watcher: a backend that fails to start must exit, not wait for a file change.
 */
const NODE_TRANSFORM = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningBackend = {
  baseUrl: string;
  /** The backend's process id, for /proc/<pid>/status. */
  pid: number;
  output(): string;
  stop(): Promise<void>;
  /** Ends the backend at once with SIGKILL, as a crash or an OOM kill would. */
  kill(): Promise<void>;
};

export type BackendExit = {
  code: number | null;
  stdout: string;
  stderr: string;
};

function spawnBackend(options: {
  configs: string[];
  env: Record<string, string | undefined>;
}): ChildProcess {
  const args = [
    '--enable-source-maps',
    '--require',
    NODE_TRANSFORM,
    'src/index.ts',
    ...options.configs.flatMap(config => ['--config', config]),
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  };
  for (const [key, value] of Object.entries(options.env)) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  return spawn(process.execPath, args, {
    cwd: BACKEND_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a backend that is expected to stop by itself, and reports how it ended. */
export async function runBackendToExit(options: {
  configs: string[];
  env: Record<string, string | undefined>;
  timeoutMs: number;
}): Promise<BackendExit> {
  const child = spawnBackend(options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', chunk => (stdout += chunk));
  child.stderr!.on('data', chunk => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `backend did not exit within ${options.timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts the real backend and resolves once `/.backstage/health/v1/readiness` answers
 * 200; rejects with the backend's output if it exits or takes longer than `timeoutMs`.
 */
export async function startBackend(options: {
  port: number;
  configs: string[];
  env: Record<string, string | undefined>;
  timeoutMs: number;
}): Promise<RunningBackend> {
  const baseUrl = `http://localhost:${options.port}`;
  const child = spawnBackend(options);
  let output = '';
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const running: RunningBackend = {
    baseUrl,
    pid: child.pid!,
    output: () => output,
    stop,
    kill,
  };
  const deadline = Date.now() + options.timeoutMs;
  let exitCode: number | null | undefined;
  exited.then(code => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`backend exited with code ${exitCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) {
        return running;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(
    `backend not ready within ${options.timeoutMs} ms:\n${output}`,
  );
}

/** Polls `probe` until it returns a value, or fails with the last reason. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}: ${lastError ?? 'no value'}`);
}
