/**
 * Temporal-side figures of one migration: the parent's run chain (continue-as-new) with the
 * length of each run's history, and every child's history (listed through visibility by the
 * deployment search attribute), counting the activities each scheduled.
 */
import type { Client } from '@temporalio/client';
import { mapWithConcurrency } from '../../activities/concurrency';

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

export interface RunStats {
  workflowId: string;
  runId: string;
  workflowType: string;
  events: number;
  activitiesScheduled: number;
  activitiesByType: Record<string, number>;
  /** Bytes, as the server reports them (continue-as-new is also suggested on size). */
  historyBytes?: number;
}

export interface WorkflowGroupStats {
  workflowType: string;
  runs: number;
  events: number;
  activitiesScheduled: number;
  maxEventsInOneRun: number;
}

export interface HistoryFigures {
  parentRuns: RunStats[];
  parentLargestRunEvents: number;
  children: WorkflowGroupStats[];
  activitiesScheduled: number;
  activitiesByType: Record<string, number>;
  totalEvents: number;
  childEvents: number;
}

function countActivities(events: readonly HistoryEvent[]): { total: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let total = 0;
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled) continue;
    total += 1;
    const name = scheduled.activityType?.name ?? '?';
    byType[name] = (byType[name] ?? 0) + 1;
  }
  return { total, byType };
}

async function runStats(client: Client, workflowId: string, runId: string, workflowType: string): Promise<{ stats: RunStats; continuedAs?: string }> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const activities = countActivities(events);
  const last = events[events.length - 1];
  const continuedAs = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  return {
    stats: { workflowId, runId, workflowType, events: events.length, activitiesScheduled: activities.total, activitiesByType: activities.byType },
    continuedAs: continuedAs || undefined,
  };
}

/** Follows the continue-as-new chain from the first run, through the histories themselves. */
export async function parentRunChain(client: Client, workflowId: string, firstRunId: string): Promise<RunStats[]> {
  const runs: RunStats[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const { stats, continuedAs } = await runStats(client, workflowId, runId, 'migrationWorkflow');
    const description = await client.workflow.getHandle(workflowId, runId).describe();
    runs.push({ ...stats, historyBytes: description.historySize });
    runId = continuedAs;
  }
  return runs;
}

/** Every child execution of the deployment that visibility lists; waits until it lists `expectedAtLeast`. */
export async function childRuns(
  client: Client,
  options: { depName: string; parentWorkflowId: string; expectedAtLeast: number; concurrency?: number },
): Promise<RunStats[]> {
  const query = `AmplifyDeployment = "${options.depName}"`;
  let listed: { workflowId: string; runId: string; type: string }[] = [];
  // Visibility is eventually consistent: give it a little time to catch up after the run.
  for (let attempt = 0; attempt < 30; attempt += 1) {
    listed = [];
    for await (const info of client.workflow.list({ query })) {
      if (info.workflowId !== options.parentWorkflowId) listed.push({ workflowId: info.workflowId, runId: info.runId, type: info.type });
    }
    if (listed.length >= options.expectedAtLeast) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return mapWithConcurrency(listed, options.concurrency ?? 8, async (run) => (await runStats(client, run.workflowId, run.runId, run.type)).stats);
}

export function summarizeHistories(parentRuns: RunStats[], children: RunStats[]): HistoryFigures {
  const groups = new Map<string, WorkflowGroupStats>();
  const activitiesByType: Record<string, number> = {};
  for (const run of [...parentRuns, ...children]) {
    const group = groups.get(run.workflowType) ?? { workflowType: run.workflowType, runs: 0, events: 0, activitiesScheduled: 0, maxEventsInOneRun: 0 };
    group.runs += 1;
    group.events += run.events;
    group.activitiesScheduled += run.activitiesScheduled;
    group.maxEventsInOneRun = Math.max(group.maxEventsInOneRun, run.events);
    groups.set(run.workflowType, group);
    for (const [name, n] of Object.entries(run.activitiesByType)) activitiesByType[name] = (activitiesByType[name] ?? 0) + n;
  }
  const all = [...parentRuns, ...children];
  return {
    parentRuns,
    parentLargestRunEvents: Math.max(0, ...parentRuns.map((r) => r.events)),
    children: [...groups.values()].filter((g) => g.workflowType !== 'migrationWorkflow'),
    activitiesScheduled: all.reduce((n, r) => n + r.activitiesScheduled, 0),
    activitiesByType,
    totalEvents: all.reduce((n, r) => n + r.events, 0),
    childEvents: children.reduce((n, r) => n + r.events, 0),
  };
}
