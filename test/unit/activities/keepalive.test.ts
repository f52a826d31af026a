/** The keepalive heartbeat never erases a resume point: it repeats the activity's last checkpoint. */
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { withKeepalive } from '../../../activities/keepalive';

const waitForBeats = (beats: unknown[], count: number) =>
  new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (beats.length >= count) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });

describe('withKeepalive', () => {
  it('repeats the details a retried attempt resumed from until the activity heartbeats its own', async () => {
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { cursor: 'k9' } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const activity = withKeepalive(async () => {
      await waitForBeats(beats, 2);
      Context.current().heartbeat({ cursor: 'k12' });
      await waitForBeats(beats, 5);
      return 'done';
    }, 10);
    await expect(env.run(activity)).resolves.toBe('done');
    expect(beats.slice(0, 2)).toEqual([{ cursor: 'k9' }, { cursor: 'k9' }]);
    expect(beats[2]).toEqual({ cursor: 'k12' });
    expect(beats.slice(3, 5)).toEqual([{ cursor: 'k12' }, { cursor: 'k12' }]);
  });

  it('stops when the activity ends and restores the context', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const original = env.context.heartbeat;
    await env.run(withKeepalive(async () => 'quick', 10));
    const after = beats.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(beats.length).toBe(after);
    expect(env.context.heartbeat).toBe(original);
  });
});
