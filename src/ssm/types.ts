/** Data shapes of the Parameter Store plan. Plain JSON so they travel as Temporal payloads. */

/** One service folder of the serverless repository, as the caller read it. */
export interface ServiceSource {
  /** The immediate child folder of the repository root (e.g. `amplify-lambda`). */
  folder: string;
  /** The text of `{folder}/serverless.yml`. */
  text: string;
}

/** The stage var file (`var/{stage}-var.yml`), as the caller read it. */
export interface VarFileSource {
  /** The path shown in messages (e.g. `var/dev-var.yml`). */
  file: string;
  text: string;
}

export interface PlannedParameter {
  /** Full SSM name, `/amplify/{stage}/{NAME}` or `/amplify/{stage}/{service}/{VAR}`. */
  name: string;
  value: string;
  /** The description the legacy script writes. */
  description: string;
  /** Resolved service name, or SHARED_SERVICE for the var-file parameters. */
  service: string;
}

/**
 * Something the plan deliberately does not write. `severity: 'error'` marks broken input
 * (no service name, an unparseable line): it makes the run fail. `'warning'` marks values
 * that cannot or should not go to SSM (empty, `${ssm:…}`, `!Ref …`): reported, not failed.
 */
export interface SkippedParameter {
  /** The full parameter name when one can be formed, else the variable name as written. */
  name?: string;
  service: string;
  reason: string;
  file: string;
  line?: number;
  severity: 'warning' | 'error';
}

/** How a service's name was found: the strict YAML parse, or the line-based fallback. */
export type ServiceNameSource = 'yaml' | 'lenient';

export interface ServiceSummary {
  folder: string;
  file: string;
  /** Resolved service name; absent when it could not be determined (an error skip says why). */
  service?: string;
  nameSource?: ServiceNameSource;
  /** Why the strict YAML parse rejected the file, when the lenient path was used. */
  yamlError?: string;
  /** Number of parameters planned for this service. */
  parameterCount: number;
  /**
   * Why the whole service was left out of the plan (a template service without
   * --include-template-services). Its parameter path is then not managed by this plan.
   */
  skippedReason?: string;
}

export interface ParameterPlan {
  stage: string;
  depName: string;
  parameters: PlannedParameter[];
  skipped: SkippedParameter[];
  services: ServiceSummary[];
}
