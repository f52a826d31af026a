/**
 * The Serverless variables the populate step can resolve on its own. Everything else
 * (`${ssm:…}`, `${cf:…}`, `${opt:…}`, other `${self:custom.…}`) needs the Serverless CLI
 * or AWS at deploy time, so a value containing one is reported, not stored verbatim.
 */

export interface PlaceholderContext {
  stage: string;
  depName: string;
  /** The resolved service name; absent while the service name itself is being resolved. */
  service?: string;
}

const DEP_NAME_TOKENS = ['${self:custom.stageVars.DEP_NAME}', '${self:custom.depName}'];
const STAGE_TOKENS = ['${sls:stage}', '${self:provider.stage}'];

/** Literal replacement of the known tokens, in the legacy order. */
export function resolvePlaceholders(text: string, context: PlaceholderContext): string {
  let out = text;
  if (context.service !== undefined) out = out.split('${self:service}').join(context.service);
  for (const token of STAGE_TOKENS) out = out.split(token).join(context.stage);
  for (const token of DEP_NAME_TOKENS) out = out.split(token).join(context.depName);
  return out;
}

/** The first `${…}` left in a text (outermost, braces balanced), or undefined. */
export function firstUnresolved(text: string): string | undefined {
  const start = text.indexOf('${');
  if (start < 0) return undefined;
  const end = matchingBrace(text, start + 1);
  return end < 0 ? text.slice(start) : text.slice(start, end + 1);
}

/** Index of the `}` closing the `{` at `open`, honouring nested `${…}`; -1 when unbalanced. */
export function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
