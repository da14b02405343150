// The production artifact on this host (see artifact.ts):
//   yarn artifact build   builds it, or finds it up to date; prints its directory
//   yarn artifact start   builds it if needed, then starts it as the image would: its CMD
//                         in its directory, with its ENV over this environment (set the
//                         variables of app-config.production.yaml first)
// `start` ends with the backend's exit code, and stops the backend when it is stopped.
import { spawn } from 'node:child_process';
import { artifactCommand, ensureArtifact } from './artifact';

async function main(command: string | undefined) {
  const artifact = await ensureArtifact();
  if (command === 'build') {
    process.stdout.write(`${artifact.dir}\n`);
    return;
  }
  if (command !== 'start') {
    process.stderr.write('usage: yarn artifact build | start\n');
    process.exit(2);
  }
  const start = artifactCommand(artifact);
  const child = spawn(start.command, start.args, {
    cwd: start.cwd,
    env: { ...process.env, ...start.env },
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main(process.argv[2]).catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
