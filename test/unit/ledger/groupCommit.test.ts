/** Group commit of ledger chunks: concurrent records share a put, each resolves once its put did. */
import { groupCommit } from '../../../activities/ledger/groupCommit';
import type { LedgerEntry } from '../../../src/ledger/types';

const p = (name: string): LedgerEntry => ({ kind: 'parameter', name, value: 'v' });

function slowSink(fail?: (entries: readonly LedgerEntry[]) => boolean) {
  const puts: LedgerEntry[][] = [];
  const releases: (() => void)[] = [];
  return {
    puts,
    release: () => releases.shift()?.(),
    sink: {
      record: (entries: readonly LedgerEntry[]) =>
        new Promise<void>((resolve, reject) => {
          puts.push([...entries]);
          releases.push(() => (fail?.(entries) ? reject(new Error('503')) : resolve()));
        }),
    },
  };
}

const settled = async (promise: Promise<unknown>) => {
  let state = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return state;
};

describe('groupCommit', () => {
  it('puts concurrent records together, and records made during a put in the next one', async () => {
    const { sink, puts, release } = slowSink();
    const ledger = groupCommit(sink, 0);
    const a = ledger.record([p('a')]);
    const b = ledger.record([p('b')]);
    await settled(a);
    expect(puts).toEqual([[p('a'), p('b')]]);
    const c = ledger.record([p('c')]);
    const d = ledger.record([p('d')]);
    expect(await settled(a)).toBe('pending');
    release();
    await a;
    await b;
    expect(await settled(c)).toBe('pending');
    expect(puts).toEqual([[p('a'), p('b')], [p('c'), p('d')]]);
    release();
    await Promise.all([c, d]);
    await ledger.record([]);
    expect(puts).toHaveLength(2);
  });

  it('with nothing in flight, a chunk waits its linger for records made in the meantime', async () => {
    jest.useFakeTimers();
    try {
      const { sink, puts, release } = slowSink();
      const ledger = groupCommit(sink, 10);
      const a = ledger.record([p('a')]);
      await jest.advanceTimersByTimeAsync(6);
      expect(puts).toEqual([]);
      const b = ledger.record([p('b')]);
      await jest.advanceTimersByTimeAsync(4);
      expect(puts).toEqual([[p('a'), p('b')]]);
      release();
      await Promise.all([a, b]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails every record a failed put held, and the next records go in a new put', async () => {
    const { sink, puts, release } = slowSink((entries) => entries.some((e) => e.kind === 'parameter' && e.name === 'x'));
    const ledger = groupCommit(sink, 0);
    const x = ledger.record([p('x')]);
    const y = ledger.record([p('y')]);
    await settled(x);
    release();
    await expect(x).rejects.toThrow('503');
    await expect(y).rejects.toThrow('503');
    const z = ledger.record([p('z')]);
    await settled(z);
    release();
    await z;
    expect(puts).toEqual([[p('x'), p('y')], [p('z')]]);
  });
});
