/** Reads the fixture serverless repository the way the CLI's loader would (sorted, no hidden folders). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceSource, VarFileSource } from '../../../src/ssm';

export const FIXTURE_REPO = path.resolve(__dirname, '../../fixtures/serverless-repo');
export const NEGATIVE_REPO = path.join(FIXTURE_REPO, 'negative-cases');

export const FIXTURE_FOLDERS = ['core-lambda', 'ops-admin', 'sample-template', 'vector-index'];
export const NEGATIVE_FOLDERS = ['duplicate-key', 'no-service', 'quoted-values', 'tab-indented', 'unresolvable', 'unterminated'];

export function service(folder: string, root = FIXTURE_REPO): ServiceSource {
  return { folder, text: readFileSync(path.join(root, folder, 'serverless.yml'), 'utf8') };
}

export function fixtureServices(): ServiceSource[] {
  return FIXTURE_FOLDERS.map((f) => service(f));
}

export function fixtureVarFile(): VarFileSource {
  return { file: 'var/dev-var.yml', text: readFileSync(path.join(FIXTURE_REPO, 'var', 'dev-var.yml'), 'utf8') };
}

/** A service file built from lines, for the small focused cases. */
export function serviceText(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
