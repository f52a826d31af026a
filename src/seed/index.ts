export { generateSampleDeployment, defaultOutsiderCount, DEFAULT_SAMPLE_DEPLOYMENT } from './generate';
export { toCsv } from './csv';
export { ADVERSARIAL_IDS, ADVERSARIAL_OUTSIDER_IDS, PREFIX_OUTSIDER_ID } from './population';
export { sanitizeUser, sanitizeApp } from './context';
export { createRandom, mulberry32, type Random } from './random';
export type { SampleDeployment, SampleOptions, Scenario, SeedUser, SeedItem, SeedObject, CognitoSeedUser } from './types';
