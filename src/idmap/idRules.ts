/**
 * What a single id in the map may look like, checked before anything is written.
 *
 * Every id (old or new):
 *  - no control character (NUL, line breaks, tab, DEL …): neither Cognito usernames nor
 *    emails can hold one, so in a CSV it is a quoting or export mistake, and a NUL or a
 *    newline inside a key would be unreadable in every report line;
 *  - at most 2,048 bytes of UTF-8, DynamoDB's partition-key limit: the cognito-users table
 *    is keyed by the id, so a longer old id cannot be a user, and a longer new id can key
 *    nothing.
 *
 * A NEW id that differs from its old id, in addition:
 *  - no `#` and no `/`: the running services build composite keys and paths from the
 *    user id (`{user}#{app}#{entity}`, `{sharer}#{date}#{uuid}`, `conversations/{user}/…`)
 *    and read the user back as one `#` or `/` segment. Old ids containing `/` exist in
 *    legacy data and are still matched as runs of whole segments (tokens.ts), so only the
 *    ids this run mints are held to the rule; an unchanged id mints nothing.
 */

/** DynamoDB's maximum partition-key size in bytes. */
export const MAX_ID_BYTES = 2048;

export type IdValueRule =
  | { rule: 'controlCharacter'; codePoint: number; position: number }
  | { rule: 'separator'; separator: '#' | '/' }
  | { rule: 'tooLong'; bytes: number };

/** `new`: an id this run writes into keys; `existing`: an old id, or a new id equal to its old id. */
export type IdRole = 'new' | 'existing';

const CONTROL = /[\u0000-\u001f\u007f]/u;
const UTF8 = new TextEncoder();

export function idValueProblem(value: string, role: IdRole): IdValueRule | undefined {
  const control = CONTROL.exec(value);
  if (control) return { rule: 'controlCharacter', codePoint: control[0].codePointAt(0)!, position: control.index + 1 };
  const bytes = UTF8.encode(value).length;
  if (bytes > MAX_ID_BYTES) return { rule: 'tooLong', bytes };
  if (role === 'new') {
    if (value.includes('#')) return { rule: 'separator', separator: '#' };
    if (value.includes('/')) return { rule: 'separator', separator: '/' };
  }
  return undefined;
}

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 9: 'tab', 10: 'line feed', 13: 'carriage return', 0x7f: 'DEL' };

/** The rule in words, for an error line that names it. */
export function describeIdRule(rule: IdValueRule): string {
  switch (rule.rule) {
    case 'controlCharacter': {
      const hex = rule.codePoint.toString(16).toUpperCase().padStart(4, '0');
      const name = CONTROL_NAMES[rule.codePoint];
      return `contains the control character U+${hex}${name ? ` (${name})` : ''} at character ${rule.position}: ids never contain NUL, line breaks or other control characters`;
    }
    case 'tooLong':
      return `is ${rule.bytes.toLocaleString('en-US')} bytes of UTF-8: ids are at most ${MAX_ID_BYTES.toLocaleString('en-US')} bytes (DynamoDB's key size limit)`;
    case 'separator':
      return `contains "${rule.separator}": a new id must not contain "#" or "/", because the services read the user back as one segment of composite keys ({user}#…, {user}/…)`;
  }
}
