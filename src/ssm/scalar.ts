/** Turning a parsed YAML node into the string an SSM parameter would hold. */
import { isScalar } from 'yaml';

export type ScalarReading =
  | { kind: 'value'; value: string }
  | { kind: 'empty' }
  | { kind: 'not-scalar' }
  | { kind: 'tag'; tag: string; text: string };

/**
 * Plain numbers keep their source text (`0755`, `16`, `1e3` stay as written, the way
 * Serverless hands them to the environment), except booleans, which become lowercase
 * `true`/`false` as the legacy stores them. Quoted and block scalars give their string
 * value, so quotes are removed and escapes applied. A local tag (`!Ref X`) is a
 * CloudFormation intrinsic that only CloudFormation can resolve.
 */
export function readScalar(node: unknown): ScalarReading {
  if (node === null || node === undefined) return { kind: 'empty' };
  if (!isScalar(node)) return { kind: 'not-scalar' };
  const tag = node.tag;
  if (tag && tag.startsWith('!')) {
    const text = node.source ?? String(node.value ?? '');
    return { kind: 'tag', tag, text: `${tag} ${text}`.trim() };
  }
  const value = node.value;
  if (value === null || value === undefined) return { kind: 'empty' };
  let text: string;
  if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (typeof value === 'number' && node.type === 'PLAIN' && typeof node.source === 'string') text = node.source.trim();
  else text = String(value);
  return text === '' ? { kind: 'empty' } : { kind: 'value', value: text };
}
