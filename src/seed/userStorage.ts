/**
 * USER_DATA_STORAGE items the new service already wrote, the "malformed" families an earlier
 * migration left behind, and the old basic-ops user-storage table.
 */
import type { Random } from './random';
import { epochSeconds, instant, iso, sanitizeApp, sanitizeUser, sentence, type Person, type SeedContext } from './context';
import type { PlainMap } from './plain';

/** Where a person's user settings live before the migration (one place each, so no seeded conflicts). */
export type SettingsSource = 'shares-record' | 'user-data-storage' | 'malformed' | 'none';

export function settingsSourceFor(p: Person): SettingsSource {
  switch (p.index % 3) {
    case 0:
      return 'shares-record';
    case 1:
      return 'user-data-storage';
    default:
      return p.migrated ? 'malformed' : 'none';
  }
}

export function userDataStorageRows(ctx: SeedContext, p: Person, rng: Random, settings: SettingsSource): void {
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    storageItem(ctx, rng, p, 'amplify-mcp', 'mcp-servers', `server-${i}`, {
      name: `${sentence(rng, 2).slice(0, -1)} server`,
      url: `https://mcp.example.edu/${i}`,
      transport: 'http',
      enabled: i % 2 === 0,
      tools: ['search', 'fetch'],
      createdAt: iso(instant(rng)),
    });
  }
  if (settings === 'user-data-storage') {
    storageItem(ctx, rng, p, 'amplify-user-settings', 'user-settings', 'user-settings', { settings: userSettings(rng) });
  }
  if (settings === 'malformed') storageItem(ctx, rng, p, 'amplify-user-settings', 'user-settings', 'user-settings', { settings: userSettings(rng) }, 'malformed');
  // The first migrated user also has a malformed workflow-template item.
  if (p.index === 0 && p.migrated) {
    storageItem(
      ctx,
      rng,
      p,
      'amplify-workflows',
      'workflow-templates',
      rng.uuid(),
      { name: 'malformed template', steps: [{ tool: 'searchLibrary', instructions: sentence(rng, 5) }] },
      'malformed',
    );
  }
}

/** Items of the removed basic-ops service: the same shape, without `itemId`. */
export function oldUserStorageRows(ctx: SeedContext, p: Person, rng: Random): void {
  const hashKey = `${sanitizeUser(p.id)}#amplify-prompt-templates`;
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    // Every fourth item has a range key: SK = `{itemId}#{rangeKey}`.
    const rangeKey = i % 4 === 3 ? `v${i}` : undefined;
    ctx.oldStorageItem(
      {
        PK: `${hashKey}#prompt-template`,
        SK: rangeKey ? `template-${i}#${rangeKey}` : `template-${i}`,
        UUID: rng.uuid(),
        data: { title: sentence(rng, 3), content: sentence(rng, 12), temperature: 0.2, tags: ['writing'] },
        appId: hashKey,
        entityType: 'prompt-template',
        createdAt: epochSeconds(instant(rng)),
        rangeKey,
      },
      p.id,
    );
  }
}

export function userSettings(rng: Random): PlainMap {
  return {
    theme: rng.pick(['dark', 'light']),
    featureOptions: { includeArtifacts: true, includeFocusedMessages: false },
    // Numbers in settings broke the legacy copy (_float_to_decimal on a Decimal).
    modelOptions: { temperature: 0.7, maxTokens: 4000 },
  };
}

/**
 * A USER_DATA_STORAGE item of a person. `service`: as the new service writes it (sanitised PK,
 * itemId present). `malformed`: as an earlier migration left it, `{new}#{old-sanitised}-{app}#{entity}`
 * without itemId: the app part embeds the old id sanitised by the app sanitiser (`@` and `.`
 * become `-`), as in `allen-karns-vanderbilt-edu-amplify-workflows`.
 */
export function storageItem(
  ctx: SeedContext,
  rng: Random,
  p: Person,
  app: string,
  entityType: string,
  sk: string,
  data: PlainMap,
  form: 'service' | 'malformed' = 'service',
): void {
  const hashKey = form === 'service' ? `${sanitizeUser(p.id)}#${sanitizeApp(app)}` : `${p.newId}#${sanitizeApp(p.id)}-${app}`;
  ctx.item(
    'USER_DATA_STORAGE_TABLE',
    {
      PK: `${hashKey}#${entityType}`,
      SK: sk,
      UUID: rng.uuid(),
      data,
      appId: hashKey,
      entityType,
      createdAt: epochSeconds(instant(rng)),
      itemId: form === 'service' ? sk : undefined,
    },
    p.id,
  );
}
