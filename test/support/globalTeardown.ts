import type { LocalStack } from '../../client/stack/localStack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __LOCAL_STACK__?: LocalStack }).__LOCAL_STACK__;
  await stack?.stop();
}
