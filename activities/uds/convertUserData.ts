/**
 * The per-user conversions of legacy rows + objects into USER_DATA_STORAGE items. They read
 * the legacy rows by the OLD id, so the child workflow runs them before the table rules
 * move those rows; they neither rewrite nor delete any legacy row or object.
 */
import type { AwsClients } from '../aws/clients';
import type { Totals } from '../../src/report/counters';
import type { UserConversion } from '../../src/plan/steps';
import { ConversionContext, type ConvertUserDataInput } from './conversionContext';
import { convertUserArtifacts } from './convertArtifacts';
import { convertUserScheduledTaskLogs } from './convertTaskLogs';
import { convertUserShares } from './convertShares';
import { convertUserWorkflowTemplates } from './convertWorkflowTemplates';
import { WriteAhead } from '../ledger/writeAhead';
import { loadIds, type RunOptions } from './options';

const CONVERSIONS: Record<UserConversion, (ctx: ConversionContext) => Promise<void>> = {
  artifacts: convertUserArtifacts,
  workflowTemplates: convertUserWorkflowTemplates,
  scheduledTaskLogs: convertUserScheduledTaskLogs,
  shares: convertUserShares,
};

export type { ConvertUserDataInput };

/** One user, one conversion. Idempotent: a re-run finds its items in place and writes nothing. */
export async function convertUserData(clients: AwsClients, input: ConvertUserDataInput, options: Pick<RunOptions<void>, 'abortSignal' | 'idMapCache' | 'onProgress' | 'ledger'> = {}): Promise<Totals> {
  const convert = CONVERSIONS[input.conversion];
  if (!convert) throw new TypeError(`unknown USER_DATA_STORAGE conversion "${String(input.conversion)}"`);
  const ids = await loadIds(clients, input.idMapRef, options.idMapCache);
  const ctx = new ConversionContext(clients, input, ids, options.abortSignal, options.onProgress, new WriteAhead(input.dryRun ? undefined : options.ledger));
  await convert(ctx);
  return ctx.tally.totals();
}
