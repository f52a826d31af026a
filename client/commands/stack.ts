import path from 'node:path';
import type { CommandModule } from 'yargs';
import { PROJECT_ROOT, startLocalStack } from '../stack/localStack';

export const stackCommand: CommandModule<object, { data: string; 'temporal-port'?: number }> = {
  command: 'stack',
  describe: 'Run the embedded local stack (moto server + Temporal dev server with its Web UI) until Ctrl-C',
  builder: (y) =>
    y
      .option('data', { type: 'string', default: path.join(PROJECT_ROOT, '.data'), describe: 'folder for the Temporal database and logs' })
      .option('temporal-port', { type: 'number', describe: 'gRPC port (default: a free one)' }),
  handler: async (args) => {
    const stack = await startLocalStack({
      temporalDbFile: path.join(args.data, 'temporal.db'),
      ui: true,
      temporalPort: args['temporal-port'],
      logDir: args.data,
    });
    console.log('local stack up; export these in another shell:');
    for (const [k, v] of Object.entries(stack.env)) console.log(`export ${k}=${v}`);
    console.log(`Temporal Web UI: ${stack.uiUrl}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stack.stop();
  },
};
