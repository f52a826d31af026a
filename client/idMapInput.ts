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
import { IdMapError, parseIdMapCsv, serializeIdMapCsv } from '../src/idmap/csv';
import { pairsFromCognitoPool, pairsFromCognitoUsersTable } from '../src/idmap/generate';
import type { IdPair } from '../src/idmap/types';
import { CliError } from './exitCodes';

export interface IdMapArgs {
  csv?: string;
  'no-id-change'?: boolean;
  'use-sub'?: boolean;
  'user-pool-id'?: string;
  'allow-chains'?: boolean;
  /** Serverless repository root: its var file may name COGNITO_USER_POOL_ID. */
  repo?: string;
}

export async function readIdMapCsv(file: string, allowChains = false): Promise<IdPair[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read CSV ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parseIdMapCsv(text, { file, allowChains });
  } catch (err) {
    if (err instanceof IdMapError) throw new CliError(err.message);
    throw err;
  }
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
    return { pairs, notes: [`${pairs.length} users from ${deployment.tables.COGNITO_USERS_DYNAMODB_TABLE}, same id on both sides`] };
  }
  const poolId = await poolIdFrom(args, deployment.stage);
  const { pairs, skipped } = pairsFromCognitoPool(await listPoolUsers(clients, poolId));
  if (pairs.length === 0) throw new CliError(`no users with both email and sub in user pool ${poolId}`);
  return {
    pairs,
    notes: [`${pairs.length} users from user pool ${poolId} (email → sub)`, ...skipped.map((s) => `skipped ${s.username}: ${s.reason}`)],
  };
}

/** The map for a run: the CSV when given; else generated (and written to --csv only if that file does not exist yet). */
export async function resolveIdMap(args: IdMapArgs, clients: AwsClients, deployment: Deployment): Promise<{ pairs: IdPair[]; notes: string[] }> {
  const generating = args['no-id-change'] || args['use-sub'];
  if (args.csv && !generating) return { pairs: await readIdMapCsv(args.csv, args['allow-chains']), notes: [] };
  if (!generating) throw new CliError('name the users: --csv FILE, or generate the map with --no-id-change or --use-sub');
  if (args.csv) {
    const existing = await readFile(args.csv, 'utf8').then(() => true, () => false);
    if (existing) return { pairs: await readIdMapCsv(args.csv, args['allow-chains']), notes: [`using existing ${args.csv}`] };
  }
  const generated = await generateIdMap(args, clients, deployment);
  if (args.csv) {
    await writeFile(args.csv, serializeIdMapCsv(generated.pairs), { flag: 'wx' });
    generated.notes.push(`wrote ${args.csv}`);
  }
  return generated;
}
