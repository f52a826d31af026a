/** The transition table and the documented phase order say the same thing. */
import { PHASES, type ActivePhase } from '../../../workflows/migrationPhases';
import { PHASE_ORDER, type Phase } from '../../../workflows/types';

describe('migration phases', () => {
  it('has a function for every phase of the order but the last, and no other', () => {
    expect(Object.keys(PHASES).sort()).toEqual(PHASE_ORDER.filter((p) => p !== 'done').sort());
  });

  it('only moves forward in the order, except the real pass going back to the run-wide copies after approval', () => {
    const position = (p: Phase) => (p === 'rejected' ? Infinity : PHASE_ORDER.indexOf(p));
    const backwards = (Object.entries(PHASES) as [ActivePhase, (typeof PHASES)[ActivePhase]][]).flatMap(([from, entry]) =>
      entry.next.filter((to) => position(to) <= position(from)).map((to) => `${from} → ${to}`),
    );
    expect(backwards).toEqual(['approval-gate → run-wide']);
  });

  it('can reach every phase from preflight', () => {
    const seen = new Set<Phase>(['preflight']);
    const queue: Phase[] = ['preflight'];
    while (queue.length) {
      const phase = queue.shift()!;
      for (const next of phase in PHASES ? PHASES[phase as ActivePhase].next : []) if (!seen.has(next)) seen.add(next), queue.push(next);
    }
    expect([...seen].sort()).toEqual([...PHASE_ORDER, 'rejected'].sort());
  });
});
