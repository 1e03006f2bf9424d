/**
 * Slack app manifest validation against the vendored schema (`test/fixtures/manifest.schema.json`,
 * slackapi/manifest-schema v0.5.0, MIT, draft-07; licence in `test/fixtures/manifest.schema.LICENSE`).
 *
 * ```ts
 * import { parse } from 'yaml';
 * import { assertValidManifest, validateManifest } from '../support/manifest.js';
 * const manifest = parse(readFileSync('manifest.yml', 'utf8'));
 * assertValidManifest(manifest);                       // throws with one line per problem
 * expect(validateManifest(manifest).errors).toEqual([]);
 * ```
 *
 * The schema writes one constraint with a non-standard `regex` keyword (display_information.background_color,
 * `^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$`), which standard validators silently ignore. We register `regex` as a
 * keyword meaning `pattern`, so a bad colour is caught (pass `{ enforceRegexKeyword: false }` for the schema's
 * literal reading). Unknown annotation keys such as `_note` need `strict: false`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { readJsonFixture } from './fixtures.js';

export const MANIFEST_SCHEMA_FILE = 'manifest.schema.json';

export interface ManifestIssue {
  /** JSON pointer into the manifest, e.g. `/features/slash_commands/0/command`. */
  path: string;
  message: string;
}

export interface ManifestValidation {
  valid: boolean;
  errors: ManifestIssue[];
}

export interface ManifestValidationOptions {
  /** Enforce the schema's non-standard `regex` keyword like `pattern` (default true). */
  enforceRegexKeyword?: boolean;
}

export class ManifestValidationError extends Error {
  readonly issues: readonly ManifestIssue[];
  constructor(issues: readonly ManifestIssue[]) {
    super(
      `Invalid Slack app manifest (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.path || '/'}: ${i.message}`).join('\n'),
    );
    this.name = 'ManifestValidationError';
    this.issues = issues;
  }
}

// ajv-formats is CommonJS with `exports.default`; see block-kit.ts for why both shapes are accepted.
type FormatsPlugin = (ajv: Ajv) => unknown;
const addFormats: FormatsPlugin =
  (addFormatsImport as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsImport as unknown as FormatsPlugin);

const validators = new Map<boolean, ValidateFunction>();

function getValidator(enforceRegex: boolean): ValidateFunction {
  const cached = validators.get(enforceRegex);
  if (cached) return cached;
  // Same speed-ups as block-kit.ts (a vendored, known-good schema): compile in a fraction of the time.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    inlineRefs: false,
    validateSchema: false,
    code: { optimize: false },
  });
  addFormats(ajv);
  if (enforceRegex) {
    ajv.addKeyword({
      keyword: 'regex',
      type: 'string',
      schemaType: 'string',
      error: { message: (cxt) => `must match pattern "${String(cxt.schema)}"` },
      validate: (pattern: string, data: string) => new RegExp(pattern, 'u').test(data),
    });
  }
  const validate = ajv.compile(readJsonFixture<object>(MANIFEST_SCHEMA_FILE));
  validators.set(enforceRegex, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `must NOT have additional property "${String(p.additionalProperty)}"`;
  if (error.keyword === 'enum')
    return `${error.message ?? 'must be one of'}: ${JSON.stringify(p.allowedValues)}`;
  return error.message ?? error.keyword;
}

/** Validates a parsed manifest (from `yaml.parse` or JSON). Never throws for a bad manifest. */
export function validateManifest(
  manifest: unknown,
  options: ManifestValidationOptions = {},
): ManifestValidation {
  const validate = getValidator(options.enforceRegexKeyword ?? true);
  if (validate(manifest)) return { valid: true, errors: [] };
  const seen = new Set<string>();
  const errors: ManifestIssue[] = [];
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'if') continue;
    const issue = { path: error.instancePath, message: describe(error) };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(issue);
  }
  return { valid: false, errors };
}

/** Throws a {@link ManifestValidationError} listing every problem unless the manifest is valid. */
export function assertValidManifest(manifest: unknown, options: ManifestValidationOptions = {}): void {
  const result = validateManifest(manifest, options);
  if (!result.valid) throw new ManifestValidationError(result.errors);
}
