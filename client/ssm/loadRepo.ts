/** Reads the serverless repository from disk for the pure planner (which does no I/O). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SsmInputError, varFilePath } from '../../src/ssm';
import type { ServiceSource, VarFileSource } from '../../src/ssm/types';

export interface LoadedService extends ServiceSource {
  /** Path of the serverless.yml on disk. */
  file: string;
}

export interface LoadedRepo {
  services: LoadedService[];
  /** Absent when the var file does not exist. `file` is the path shown in messages. */
  varFile?: VarFileSource;
  /** Where the var file was looked for. */
  varFilePath?: string;
  /** Immediate, non-hidden folders without a serverless.yml (docs, var, ...). */
  foldersWithoutServerless: string[];
}

export interface LoadOptions {
  /** Reads `var/{stage}-var.yml` under the repository when given. */
  stage?: string;
  /** An explicit var file path instead of `var/{stage}-var.yml`. */
  varFile?: string;
}

/**
 * The immediate child folders that hold a `serverless.yml`, sorted by name (the legacy
 * used the unsorted directory listing). Hidden folders are ignored; symlinked folders count.
 */
export async function loadServerlessRepo(dir: string, options: LoadOptions = {}): Promise<LoadedRepo> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SsmInputError(dir, 'the serverless repository folder does not exist');
  const services: LoadedService[] = [];
  const foldersWithoutServerless: string[] = [];
  const entries = readdirSync(dir).sort();
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const folder = path.join(dir, entry);
    if (!isDirectory(folder)) continue;
    const file = path.join(folder, 'serverless.yml');
    if (!existsSync(file)) {
      foldersWithoutServerless.push(entry);
      continue;
    }
    services.push({ folder: entry, file, text: readText(file) });
  }

  const relative = options.varFile ?? (options.stage !== undefined ? varFilePath(options.stage) : undefined);
  if (relative === undefined) return { services, foldersWithoutServerless };
  const varPath = path.isAbsolute(relative) ? relative : options.varFile !== undefined ? path.resolve(relative) : path.join(dir, relative);
  if (!existsSync(varPath)) return { services, foldersWithoutServerless, varFilePath: varPath };
  return { services, foldersWithoutServerless, varFilePath: varPath, varFile: { file: varPath, text: readText(varPath) } };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory(); // follows symlinks, as the legacy's os.path.isdir did
  } catch {
    return false;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new SsmInputError(file, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}
