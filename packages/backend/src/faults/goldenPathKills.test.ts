import { execFileSync } from 'node:child_process';
import { on } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Notification } from 'pg';
import { parse } from 'yaml';
import {
  eventually,
  freePort,
  RunningBackend,
} from '../integration/__testUtils__/runBackend';
import { REPO_ROOT } from '../integration/__testUtils__/sampleCatalog';
import {
  call,
  embeddedEnv,
  entityListed,
  guestToken,
  report,
  startEmbedded,
} from './__testUtils__/portal';
import {
  onPostgres,
  PrivatePostgres,
  startPrivatePostgres,
} from './__testUtils__/privatePostgres';

// The HTTP service golden path, its backend killed with SIGKILL as each step starts, one
// step after the other, and started again on the same data (PostgreSQL, the repositories
// directory, the scaffolder's working directory: what a pod keeps across a restart).
// Every task ends completed with one repository, one commit, one catalog entity and one
// scaffold.completed event, or failed naming the step, and then a retry completes.

jest.setTimeout(1_200_000);

const TEMPLATE = 'http-service';
const DATABASE = 'portal';
const CHANNEL = 'fault_suite_step_started';
/** A kill can land after a step of a few milliseconds has ended: try it again, so often. */
const ATTEMPTS = 3;

type TemplateStep = { id: string; name: string; if?: unknown };

// The steps a task runs with local publishing: those without a condition (CI is
// dispatched only on GitHub). A step added to the template is killed in too.
const STEPS: TemplateStep[] = (
  parse(
    fs.readFileSync(
      path.join(REPO_ROOT, 'templates', TEMPLATE, 'template.yaml'),
      'utf8',
    ),
  ).spec.steps as TemplateStep[]
).filter(step => step.if === undefined);

type StoredEvent = {
  id: number;
  event_type: string;
  body: { stepId?: string; status?: string; message?: string };
};

describe('SIGKILL during each step of the HTTP service golden path', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-faults-kill-'));
  const workDir = path.join(dataDir, 'work');
  const reposDir = path.join(dataDir, 'repos', 'paved-road-demo');
  let postgres: PrivatePostgres | undefined;
  let backend: RunningBackend | undefined;
  let port: number;
  let token: string;

  const env = () =>
    embeddedEnv(port, dataDir, {
      ...onPostgres(postgres!, DATABASE),
      APP_CONFIG_backend_workingDirectory: workDir,
      // take a task for stranded 2 s after its backend's last heartbeat, not 30 s
      APP_CONFIG_scaffolder_taskRecovery_staleTimeout_seconds: '2',
    });

  const api = <T>(route: string, init?: { method?: string; body?: unknown }) =>
    call<T>(backend!.baseUrl, token, route, init);

  const events = (taskId: string, after = 0) =>
    postgres!.query<StoredEvent>(
      DATABASE,
      'SELECT id, event_type, body::json AS body FROM scaffolder.task_events WHERE task_id = $1 AND id > $2 ORDER BY id',
      [taskId, after],
    );

  async function restart() {
    const started = performance.now();
    backend = await startEmbedded(port, env());
    token = await guestToken(backend.baseUrl);
    return Math.round((performance.now() - started) / 1000);
  }

  async function createTask(name: string): Promise<string> {
    const created = await api<{ id: string }>('scaffolder/v2/tasks', {
      method: 'POST',
      body: {
        templateRef: `template:default/${TEMPLATE}`,
        values: {
          name,
          description: 'Takes orders, whatever happens to the portal',
          language: 'node',
          owner: 'group:default/payments-team',
          system: 'system:default/payments',
          costCenter: 'CC-1001',
          onCall: 'PABC123',
          lifecycle: 'experimental',
          repoUrl: `github.com?owner=paved-road-demo&repo=${name}`,
        },
      },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  // The suite hears of a step the moment its start is committed to the task's log: a
  // trigger on the scaffolder's log table notifies it (it reads and changes nothing else).
  let listener: Client | undefined;
  async function watchSteps() {
    await postgres!.query(
      DATABASE,
      `CREATE FUNCTION public.fault_suite_step_started() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.body::json->>'status' = 'processing' THEN
           PERFORM pg_notify('${CHANNEL}', NEW.task_id || ' ' || (NEW.body::json->>'stepId'));
         END IF;
         RETURN NEW;
       EXCEPTION WHEN others THEN
         RETURN NEW;
       END $$;
       CREATE TRIGGER fault_suite_step_started AFTER INSERT ON scaffolder.task_events
         FOR EACH ROW EXECUTE FUNCTION public.fault_suite_step_started();`,
    );
    listener = new Client({
      host: '127.0.0.1',
      port: postgres!.port,
      user: 'postgres',
      database: DATABASE,
    });
    await listener.connect();
    await listener.query(`LISTEN ${CHANNEL}`);
  }

  /** Sends SIGKILL the moment a task starts `stepId`, and resolves with that task's id. */
  async function killAtStep(stepId: string): Promise<string> {
    // listening from the call on, before the task is created
    const notifications = on(listener!, 'notification', {
      signal: AbortSignal.timeout(120_000),
    }) as AsyncIterable<[Notification]>;
    for await (const [message] of notifications) {
      const [taskId, started] = (message.payload ?? '').split(' ');
      if (started === stepId) {
        void backend!.kill();
        return taskId;
      }
    }
    throw new Error(`the log of step starts ended before '${stepId}' started`);
  }

  /** Where the task's log stood when the backend died: the last step status, or its end. */
  async function logAtKill(taskId: string): Promise<string> {
    const log = await events(taskId);
    if (log.some(e => e.event_type === 'completion')) {
      return 'ended';
    }
    const statuses = log.filter(e => e.body.status);
    const last = statuses[statuses.length - 1].body;
    return `${last.stepId} ${last.status}`;
  }

  async function taskEnd(taskId: string) {
    return eventually(
      async () => {
        const { body } = await api<{ status: string }>(
          `scaffolder/v2/tasks/${taskId}`,
        );
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body.status
          : undefined;
      },
      300_000,
      `task ${taskId} to end`,
    );
  }

  /** What a completed golden path leaves for `name`: the issue says one of each. */
  async function outcome(name: string) {
    const repos = fs.existsSync(reposDir)
      ? fs.readdirSync(reposDir).filter(dir => dir === name).length
      : 0;
    const commits = repos
      ? Number(
          execFileSync(
            'git',
            ['-C', path.join(reposDir, name), 'rev-list', '--count', 'HEAD'],
            { encoding: 'utf8' },
          ).trim(),
        )
      : 0;
    const { body } = await api<{ items: unknown[] }>(
      `catalog/entities/by-query?filter=kind=component,metadata.name=${name}`,
    );
    const [{ count }] = await postgres!.query<{ count: string }>(
      DATABASE,
      "SELECT count(*) FROM insights.insights_events WHERE name = 'scaffold.completed' AND service = $1",
      [name],
    );
    return {
      repositories: repos,
      commits,
      entities: body.items.length,
      events: Number(count),
    };
  }

  beforeAll(async () => {
    fs.mkdirSync(workDir);
    postgres = await startPrivatePostgres();
    await postgres.query('postgres', `CREATE DATABASE ${DATABASE}`);
    port = await freePort();
    await restart();
    await watchSteps();
    await entityListed(backend!.baseUrl, token, 'template', TEMPLATE);
  });

  afterAll(async () => {
    await listener?.end();
    await backend?.stop();
    await postgres?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the steps the suite kills in', () => {
    expect(STEPS.map(s => s.id)).toEqual(
      expect.arrayContaining(['render', 'publish', 'register', 'emit']),
    );
  });

  /**
   * One task for `name`, killed as it starts `stepId`, and a new backend on the same data;
   * then the issue's outcome: completed with one of each, or failed naming the step and
   * retried.
   */
  async function killedRun(name: string, stepId: string) {
    const killed = killAtStep(stepId);
    const taskId = await createTask(name);
    expect(await killed).toBe(taskId);
    await backend!.kill();
    const atKill = await logAtKill(taskId);
    const restartSeconds = await restart();
    const resumed = performance.now();
    const status = await taskEnd(taskId);
    const endSeconds = Math.round((performance.now() - resumed) / 1000);
    const log = await events(taskId);
    if (atKill !== 'ended') {
      expect(log.map(e => e.event_type)).toContain('recovered');
    }
    let retried = 'no';
    if (status !== 'completed') {
      // failed: the log names the step and why, and a new task for the name completes
      const failures = log.filter(e => e.body.status === 'failed');
      expect({ status, failures: failures.length }).toEqual({
        status: 'failed',
        failures: 1,
      });
      expect(STEPS.map(s => s.id)).toContain(failures[0].body.stepId);
      expect(failures[0].body.message).toBeTruthy();
      const retry = await createTask(name);
      expect(await taskEnd(retry)).toBe('completed');
      retried = `failed in '${failures[0].body.stepId}': ${failures[0].body.message}; retry ${retry} completed`;
    }
    const figures = await outcome(name);
    report(`SIGKILL during '${stepId}'`, {
      task: name,
      atKill: JSON.stringify(atKill),
      restartSeconds,
      status,
      endSecondsAfterRestart: endSeconds,
      retried: JSON.stringify(retried),
      ...figures,
    });
    expect(figures).toEqual({
      repositories: 1,
      commits: 1,
      entities: 1,
      events: 1,
    });
    return atKill;
  }

  it.each(STEPS.map(step => [step.id, step.name]))(
    "a task killed when '%s' (%s) starts ends completed once, or failed naming the step and then retried",
    async stepId => {
      const atKills: string[] = [];
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        const name = `killed-at-${stepId}${attempt > 1 ? `-${attempt}` : ''}`;
        atKills.push(await killedRun(name, stepId));
        if (atKills[atKills.length - 1].startsWith(`${stepId} `)) {
          break;
        }
      }
      // the kill landed while the step ran, or after it ended but before the next began
      expect(atKills[atKills.length - 1]).toMatch(
        new RegExp(`^${stepId} (processing|completed)$`),
      );
    },
  );
});
