/**
 * `amplify-migrate worker` as the process an operator, a supervisor or `kill -9` deals with:
 * the PID it prints is the worker itself (no wrapper that a SIGKILL would orphan it from),
 * and SIGTERM lets in-flight activities finish, then exits 0.
 */
import { randomBytes } from 'node:crypto';
import { buildDeployment } from '../../src/deployment/catalogue';
import { uniqueDepName } from '../support/aws';
import { GatedProxy } from '../support/gatedProxy';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { processesMentioning, startWorkerProcess as startWorker, type WorkerProcess } from '../support/workerProcess';

describe('amplify-migrate worker as a process', () => {
  let temporal: TestTemporal;
  const started: WorkerProcess[] = [];
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    // A failed assertion must not leave a worker polling the shared dev server.
    for (const w of started) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await temporal.close();
  });

  it('SIGKILL to the printed PID leaves no worker process behind', async () => {
    const taskQueue = `test-kill-${randomBytes(4).toString('hex')}`;
    const worker = startWorker(taskQueue);
    started.push(worker);
    const { pid } = await worker.ready;
    // The printed PID is the process the shell started: node itself, not a wrapper around it.
    expect(pid).toBe(worker.child.pid);
    expect(processesMentioning(taskQueue)).toHaveLength(1);

    process.kill(pid, 'SIGKILL');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(processesMentioning(taskQueue)).toEqual([]);
  });

  it('SIGTERM lets the in-flight activities finish, then exits 0', async () => {
    const proxy = new GatedProxy(new URL(process.env.AWS_ENDPOINT_URL!));
    const endpoint = await proxy.listen();
    const taskQueue = `test-term-${randomBytes(4).toString('hex')}`;
    // INFO: the worker logs its state changes, which says when the shutdown has begun.
    const worker = startWorker(taskQueue, { AWS_ENDPOINT_URL: endpoint, AMPLIFY_MIGRATE_LOG_LEVEL: 'INFO' }, ['--shutdown-grace-seconds', '300']);
    started.push(worker);
    try {
      const { pid, identity } = await worker.ready;
      proxy.hold();
      const depName = uniqueDepName('wp');
      const handle = await temporal.client.workflow.start('preflightWorkflow', {
        taskQueue,
        workflowId: `preflight-${depName}`,
        args: [{ deployment: buildDeployment({ depName, stage: 'dev' }) }],
      });
      // The preflight activities are running on the worker, each stuck on its first AWS call.
      await proxy.holding();

      process.kill(pid, 'SIGTERM');
      // The worker stops polling and drains: it is still alive, waiting on those activities.
      await worker.printed(/Worker state changed[\s\S]*'(STOPPING|DRAINING)'/);
      proxy.release();

      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.stderr()).toContain(`worker ${identity} stopped: in-flight work settled`);
      expect(processesMentioning(taskQueue)).toEqual([]);

      // Every activity the workflow scheduled (all in flight on this worker at the SIGTERM) was
      // completed by it: none was cancelled or abandoned mid-flight.
      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => Number(e.eventId));
      const completed = events.flatMap((e) => (e.activityTaskCompletedEventAttributes ? [Number(e.activityTaskCompletedEventAttributes.scheduledEventId)] : []));
      const startedBy = new Set(events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.identity] : [])));
      expect(scheduled.length).toBeGreaterThan(0);
      expect(completed.sort()).toEqual(scheduled.sort());
      expect([...startedBy]).toEqual([identity]);
      await handle.terminate('test over');
    } finally {
      proxy.release();
      await proxy.close();
    }
  });
});
