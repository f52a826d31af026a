/**
 * Replays the committed histories of representative migrations against the current
 * workflow code: a change that would break running migrations (non-determinism) fails
 * here, in CI, instead of in production. Regenerate only with a deliberate change:
 * `npm run record-histories`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

const DIR = path.join(__dirname, 'histories');

describe('replay of committed migration histories', () => {
  const workflowIds = JSON.parse(readFileSync(path.join(DIR, 'workflow-ids.json'), 'utf8')) as Record<string, string>;
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json').sort();

  it('has the representative runs the issue names', () => {
    // The fine-grained runs recorded before patched('coarse-user-grain'), the coarse ones after,
    // a run whose plan scans the per-user tables (patched('plan-user-tables-by-scan')), and one
    // whose scan segments are sized by item count (patched('sized-scan-segments')).
    for (const run of [
      'scenario-a-parent',
      'scenario-b-parent',
      'paused-resumed-parent',
      'rejected-parent',
      'scenario-a-user',
      'scenario-a-scan',
      'scenario-a-preflight',
      'coarse-scenario-a-parent',
      'coarse-scenario-a-user',
      'scanplan-scenario-a-parent',
      'sizedseg-scenario-a-parent',
      'runscan-scenario-a-parent',
      // The first run of a parent that continued as new quietly (patched('quiet-continue-as-new')).
      'quietcan-continued-parent',
    ]) {
      expect(files).toContain(`${run}.json`);
    }
  });

  it('replays every history without a determinism error', async () => {
    const histories = files.map((file) => {
      const name = file.replace(/\.json$/, '');
      return { workflowId: workflowIds[name], history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8'))) };
    });
    expect(histories.every((h) => h.workflowId)).toBe(true);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
