/** Input the tool cannot work with (missing repo, unreadable var file): one line naming file, line and key. */
export class SsmInputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly key?: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}${key ? ` (${key})` : ''}: ${detail}`);
    this.name = 'SsmInputError';
  }
}

/** The first line of a parser message (the `yaml` package appends a code excerpt). */
export function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
