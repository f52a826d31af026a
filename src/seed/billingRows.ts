/** Per-user rows of the billing family: chat usage, cost calculations and additional charges. */
import type { Random } from './random';
import { decimal } from './plain';
import { dayAfterOrigin, instant, iso, isoDay, type Person, type SeedContext } from './context';

const MODELS = ['gpt-4o', 'claude-3-5-sonnet', 'gpt-4o-mini', 'mistral-large'];

/** CHAT_USAGE, COST_CALCULATIONS, HISTORY_COST_CALCULATIONS, ADDITIONAL_CHARGES. */
export function billingRows(
  ctx: SeedContext,
  p: Person,
  rng: Random,
  refs: { apiKeyId: string; threadIds: readonly string[]; codeInterpreterAssistantId: string },
): void {
  const cents = () => decimal(`${rng.between(0, 40)}.${String(rng.between(0, 9999)).padStart(4, '0')}`);
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    ctx.item(
      'CHAT_USAGE_DYNAMO_TABLE',
      {
        id: rng.uuid(),
        user: p.id,
        time: iso(instant(rng)),
        modelId: rng.pick(MODELS),
        inputTokens: rng.between(10, 8000),
        outputTokens: rng.between(10, 4000),
        accountId: 'general_account',
        requestId: rng.uuid(),
        details: { itemType: 'chat', conversationId: rng.uuid() },
      },
      p.id,
    );
    ctx.item(
      'HISTORY_COST_CALCULATIONS_DYNAMO_TABLE',
      {
        userDate: `${p.id}#${isoDay(dayAfterOrigin(i))}`,
        accountInfo: 'general_account#NA',
        record_type: 'history',
        dailyCost: cents(),
        monthlyCost: cents(),
        hourlyCost: [cents(), cents(), cents()],
      },
      p.id,
    );
    ctx.item(
      'ADDITIONAL_CHARGES_TABLE',
      {
        id:
          i === 0 && refs.threadIds.length > 0
            ? `${refs.threadIds[0]}/${refs.codeInterpreterAssistantId}`
            : `${p.id}#codeInterpreter#${rng.uuid()}`,
        user: p.id,
        itemType: 'codeInterpreter',
        accountId: 'general_account',
        amount: cents(),
        time: iso(instant(rng)),
      },
      p.id,
    );
  }
  for (const accountInfo of ['general_account#NA', `coa-research#${refs.apiKeyId}`]) {
    ctx.item(
      'COST_CALCULATIONS_DYNAMO_TABLE',
      { id: p.id, accountInfo, record_type: 'cost', dailyCost: cents(), monthlyCost: cents(), hourlyCost: [cents(), cents()] },
      p.id,
    );
  }
}
