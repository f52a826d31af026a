import path from 'node:path';
import { exportSettingsFromEnv } from '../../../worker/worker';

describe('the worker reads its export settings from the environment', () => {
  it('takes the local folder and the bucket from AMPLIFY_MIGRATE_EXPORT_DIR and AMPLIFY_MIGRATE_EXPORT_S3', () => {
    expect(exportSettingsFromEnv({ AMPLIFY_MIGRATE_EXPORT_DIR: '/var/exports', AMPLIFY_MIGRATE_EXPORT_S3: 's3://fleet/exports' })).toEqual({
      localDir: '/var/exports',
      s3Url: 's3://fleet/exports',
    });
  });

  it('without them: .data/exports under the working directory and no bucket of its own', () => {
    expect(exportSettingsFromEnv({})).toEqual({ localDir: path.resolve('.data', 'exports'), s3Url: undefined });
  });
});
