/**
 * Where a run's id map comes from: an operator's CSV (validated, with file/line errors), or
 * generated from live data (`--no-id-change`: the cognito-users table; `--use-sub`: the user
 * pool's email → sub). Generated maps are written to a file only when the operator asks.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { AwsClients } from '../activities/aws/clients';
import { listPoolUsers, scanCognitoUsersTable } from '../activities/idmap/sources';
import type { Deployment } from '../src/deployment/catalogue';
import { decodeIdMapCsv, IdMapError, parseIdMapCsv, serializeIdMapCsv, type ParseIdMapOptions } from '../src/idmap/csv';
import { pairsFromCognitoPool, pairsFromCognitoUsersTable } from '../src/idmap/generate';
import { describeIdRule } from '../src/idmap/idRules';
import type { IdPair } from '../src/idmap/types';
import { findIdPairProblems } from '../src/idmap/validate';
import { CliError } from './exitCodes';

export interface IdMapArgs {
  csv?: string;
  'no-id-change'?: boolean;
  'use-sub'?: boolean;
  'user-pool-id'?: string;
  'allow-chains'?: boolean;
  'ignore-extra-columns'?: boolean;
  /** Serverless repository root: its var file may name COGNITO_USER_POOL_ID. */
  repo?: string;
}

export type CsvReadOptions = Pick<ParseIdMapOptions, 'allowChains' | 'ignoreExtraColumns' | 'sameIdsOnly'>;

/** The operator's CSV, every rule of src/idmap checked; `notes` are the warnings the operator accepted by flag. */
export async function readIdMapCsv(file: string, options: CsvReadOptions = {}): Promise<{ pairs: IdPair[]; notes: string[] }> {
  let bytes: Buffer;
  try {
    // Bytes, not 'utf8' text: Node would silently turn bytes that are not UTF-8 into U+FFFD.
    bytes = await readFile(file);
  } catch (err) {
    throw new CliError(`cannot read CSV ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const notes: string[] = [];
  try {
    const pairs = parseIdMapCsv(decodeIdMapCsv(bytes, file), { file, ...options, onWarning: (w) => notes.push(`warning: ${w}`) });
    return { pairs, notes };
  } catch (err) {
    if (err instanceof IdMapError) throw new CliError(err.message);
    throw err;
  }
}

/** Generated maps follow the CSV's rules too; a bad id in live data is named with its source. */
function checkGenerated(pairs: IdPair[], source: string): void {
  const [problem] = findIdPairProblems(pairs);
  if (!problem) return;
  const pair = pairs[problem.index];
  const detail = problem.kind === 'badId' ? `${problem.column} ${JSON.stringify(problem.value.slice(0, 60))} ${describeIdRule(problem.rule)}` : `${problem.kind} at ${JSON.stringify(pair)}`;
  throw new CliError(`the id map generated from ${source} cannot be used: ${detail}`);
}

async function poolIdFrom(args: IdMapArgs, stage: string): Promise<string> {
  const fromFlag = args['user-pool-id'] ?? process.env.COGNITO_USER_POOL_ID;
  if (fromFlag) return fromFlag;
  if (args.repo) {
    for (const candidate of [stage, 'dev', 'staging', 'prod']) {
      const file = `${args.repo}/var/${candidate}-var.yml`;
      const text = await readFile(file, 'utf8').catch(() => undefined);
      const value = text ? (parse(text) as Record<string, unknown> | null)?.COGNITO_USER_POOL_ID : undefined;
      if (typeof value === 'string' && value) return value;
    }
  }
  throw new CliError('--use-sub needs the user pool: pass --user-pool-id, set COGNITO_USER_POOL_ID, or --repo with a var file naming it');
}

/** Generates the map from live data; `--no-id-change` and `--use-sub` exclude each other. */
export async function generateIdMap(args: IdMapArgs, clients: AwsClients, deployment: Deployment): Promise<{ pairs: IdPair[]; notes: string[] }> {
  if (args['no-id-change'] && args['use-sub']) throw new CliError('--no-id-change and --use-sub exclude each other');
  if (args['no-id-change']) {
    const pairs = pairsFromCognitoUsersTable(await scanCognitoUsersTable(clients, deployment.tables.COGNITO_USERS_DYNAMODB_TABLE));
    if (pairs.length === 0) throw new CliError(`no users found in ${deployment.tables.COGNITO_USERS_DYNAMODB_TABLE}`);
    checkGenerated(pairs, deployment.tables.COGNITO_USERS_DYNAMODB_TABLE);
    return { pairs, notes: [`${pairs.length} users from ${deployment.tables.COGNITO_USERS_DYNAMODB_TABLE}, same id on both sides`] };
  }
  const poolId = await poolIdFrom(args, deployment.stage);
  const { pairs, skipped } = pairsFromCognitoPool(await listPoolUsers(clients, poolId));
  if (pairs.length === 0) throw new CliError(`no users with both email and sub in user pool ${poolId}`);
  checkGenerated(pairs, `user pool ${poolId}`);
  return {
    pairs,
    notes: [`${pairs.length} users from user pool ${poolId} (email → sub)`, ...skipped.map((s) => `skipped ${s.username}: ${s.reason}`)],
  };
}

/** The map for a run: the CSV when given; else generated (and written to --csv only if that file does not exist yet). */
export async function resolveIdMap(args: IdMapArgs, clients: AwsClients, deployment: Deployment): Promise<{ pairs: IdPair[]; notes: string[] }> {
  if (args['no-id-change'] && args['use-sub']) throw new CliError('--no-id-change and --use-sub exclude each other');
  const generating = args['no-id-change'] || args['use-sub'];
  const csvOptions: CsvReadOptions = { allowChains: args['allow-chains'], ignoreExtraColumns: args['ignore-extra-columns'] };
  if (args.csv && !generating) return readIdMapCsv(args.csv, csvOptions);
  if (!generating) throw new CliError('name the users: --csv FILE, or generate the map with --no-id-change or --use-sub');
  if (args.csv) {
    const existing = await readFile(args.csv).then(() => true, () => false);
    if (existing) {
      // --no-id-change promises no id changes: an existing CSV that changes one contradicts it (the legacy ran it).
      const read = await readIdMapCsv(args.csv, { ...csvOptions, sameIdsOnly: args['no-id-change'] ? '--no-id-change' : undefined });
      return { pairs: read.pairs, notes: [`using existing ${args.csv}`, ...read.notes] };
    }
  }
  const generated = await generateIdMap(args, clients, deployment);
  if (args.csv) {
    await writeFile(args.csv, serializeIdMapCsv(generated.pairs), { flag: 'wx' });
    generated.notes.push(`wrote ${args.csv}`);
  }
  return generated;
}
