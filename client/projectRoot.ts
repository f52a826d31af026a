import path from 'node:path';

/**
 * The repository (or image) root, where package.json, .stack/ and test/fixtures/ live. This
 * module runs from sources (client/) and compiled (dist/client/): one level further up then.
 */
const parent = path.resolve(__dirname, '..');
export const PROJECT_ROOT = path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
