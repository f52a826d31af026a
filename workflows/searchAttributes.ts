/**
 * Typed search attributes set on every migration workflow (parent and children), so the
 * Web UI and `amplify-migrate list` can filter by deployment, stage, phase and dry run.
 * They must be registered on the cluster: the dev server gets SEARCH_ATTRIBUTE_FLAGS,
 * the compose stack a one-shot `temporal operator search-attribute create`.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DEPLOYMENT_KEY = defineSearchAttributeKey('AmplifyDeployment', SearchAttributeType.KEYWORD);
export const STAGE_KEY = defineSearchAttributeKey('AmplifyStage', SearchAttributeType.KEYWORD);
export const PHASE_KEY = defineSearchAttributeKey('MigrationPhase', SearchAttributeType.KEYWORD);
export const DRY_RUN_KEY = defineSearchAttributeKey('MigrationDryRun', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTE_KEYS = [DEPLOYMENT_KEY, STAGE_KEY, PHASE_KEY, DRY_RUN_KEY] as const;

/** `NAME=Type` pairs as `temporal server start-dev --search-attribute` and `operator search-attribute create` take them. */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = [
  'AmplifyDeployment=Keyword',
  'AmplifyStage=Keyword',
  'MigrationPhase=Keyword',
  'MigrationDryRun=Bool',
];
