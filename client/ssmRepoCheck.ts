/**
 * `--ssm-repo`: a serverless.yml that is not valid YAML (tab indentation, an unterminated
 * quote, a duplicate key) is refused before the run starts, naming the file and the line.
 * The planner still reads such a file line by line, as the legacy did, but then plans from
 * a file the Serverless Framework itself cannot deploy; the operator accepts that reading
 * explicitly with --ssm-lenient. CloudFormation tags (`!ImportValue`, `!Ref` …) are not
 * errors here: YAML leaves unknown tags to the application, and Serverless resolves them.
 */
import { parseDocument } from 'yaml';
import { SsmInputError } from '../src/ssm';
import { CliError } from './exitCodes';
import { loadServerlessRepo } from './ssm/loadRepo';

export interface YamlProblem {
  file: string;
  line?: number;
  message: string;
}

/** The first YAML syntax error of a file's text, if any. */
export function yamlSyntaxError(file: string, text: string): YamlProblem | undefined {
  const [error] = parseDocument(text, { prettyErrors: true }).errors;
  if (!error) return undefined;
  // prettyErrors appends "at line L, column C:" and a code excerpt: keep the first sentence only.
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { file, line: error.linePos?.[0].line, message };
}

function where(p: YamlProblem): string {
  return `${p.file}${p.line ? ` line ${p.line}` : ''}`;
}

/** Refuses (exit 2) unless `lenient`; with it, returns one warning line per file read leniently. */
export async function checkServerlessYaml(repo: string, stage: string, lenient: boolean): Promise<string[]> {
  let services: { file: string; text: string }[];
  try {
    services = (await loadServerlessRepo(repo, { stage })).services;
  } catch (err) {
    if (err instanceof SsmInputError) throw new CliError(err.message);
    throw err;
  }
  const problems = services.flatMap((s) => yamlSyntaxError(s.file, s.text) ?? []);
  if (problems.length === 0) return [];
  if (!lenient) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more file(s))` : '';
    throw new CliError(
      `${where(first)}: not valid YAML: ${first.message}${more}; fix it, or pass --ssm-lenient to plan from a line-by-line reading as the legacy did`,
    );
  }
  return problems.map((p) => `warning: ${where(p)}: not valid YAML (${p.message}); read line by line (--ssm-lenient)`);
}
