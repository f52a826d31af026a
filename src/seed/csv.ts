/** The `old_id,new_id` CSV the migration reads, for a seeded population. */
import type { SeedUser } from './types';

function field(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(users: readonly SeedUser[]): string {
  return ['old_id,new_id', ...users.map((u) => `${field(u.oldId)},${field(u.newId)}`)].join('\n') + '\n';
}
