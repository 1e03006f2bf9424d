/**
 * Block Kit validation (the tests' assertions and the Slack stand-in's `invalid_blocks`): the vendored community
 * JSON Schema (`block-kit.schema.json` beside this file, TightknitAI/slack-block-kit-validator, draft 2020-12, MIT;
 * see test/fixtures/SOURCES.md) plus the rules that schema does not enforce.
 *
 * ```ts
 * import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js'; // re-exports this
 * assertValidMessageBlocks(meetingCard(meeting));   // throws BlockKitValidationError listing every problem
 * assertValidModal(scheduleModal({ tz: 'America/Chicago' }));
 * expect(messageBlocksIssues(blocks)).toEqual([]);  // or inspect the issues yourself
 * ```
 *
 * On top of the schema:
 * - a message holds at most 50 blocks (the schema allows 100; see block-kit-limits.md);
 * - `block_id`s are unique within the message or view;
 * - `action_id`s are unique within the whole message or view by default (our convention, stricter than Slack,
 *   whose docs and @slack/types say "unique among all other action_ids in the containing block"); pass
 *   `{ actionIdScope: 'block' }` for Slack's own rule (the Web API stub does);
 * - `block_id` and `action_id` are at most 255 characters (also in the schema; checked again so the limit holds
 *   inside blocks the schema cannot discriminate).
 *
 * To make Ajv's errors readable, every `oneOf` whose branches are told apart by a `type` constant gets a
 * `discriminator` keyword in memory (the file is unchanged): Ajv then reports the errors of the matching branch
 * only, instead of one error per block type.
 */

import { readFileSync } from 'node:fs';
import type { Block, HomeView, KnownBlock, ModalView } from '@slack/types';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { sandboxFile } from '../files.js';

export const BLOCK_KIT_SCHEMA_FILE = 'block-kit.schema.json';
const SCHEMA_ID = 'https://tightknit.com/schemas/slack-block-kit.schema.json';

/** Limits checked here beyond the schema (sources: /work/shared/slack/block-kit-limits.md, @slack/types). */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  idMaxLength: 255,
  modalTitleMaxLength: 24,
} as const;

/** One problem: a JSON pointer into what was validated (`/blocks/0/text/text`, `/title/text`) and a message. */
export interface BlockKitIssue {
  path: string;
  message: string;
}

export type BlockKitSurface = 'message' | 'modal' | 'home';

export interface BlockKitCheckOptions {
  /**
   * Where an `action_id` must be unique: `'surface'` (the whole message or view; the default, our convention) or
   * `'block'` (within its containing block: Slack's documented rule).
   */
  actionIdScope?: 'surface' | 'block';
}

export class BlockKitValidationError extends Error {
  readonly issues: readonly BlockKitIssue[];
  readonly surface: BlockKitSurface;

  constructor(surface: BlockKitSurface, issues: readonly BlockKitIssue[]) {
    super(formatIssues(surface, issues));
    this.name = 'BlockKitValidationError';
    this.surface = surface;
    this.issues = issues;
  }
}

/** Human-readable list, one issue per line. */
export function formatIssues(surface: BlockKitSurface, issues: readonly BlockKitIssue[]): string {
  const what =
    surface === 'message' ? 'message blocks' : surface === 'modal' ? 'modal view' : 'Home tab view';
  const lines = issues.map((i) => `  - ${i.path || '/'}: ${i.message}`);
  return `Invalid Block Kit ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is typed as the module
// namespace, while Node's ESM loader hands us `module.exports` (the function itself). Accept both.
type FormatsPlugin = (ajv: Ajv2020) => unknown;
const addFormats: FormatsPlugin =
  (addFormatsImport as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsImport as unknown as FormatsPlugin);

interface Validators {
  blocks: ValidateFunction;
  modal: ValidateFunction;
  home: ValidateFunction;
}
let validators: Validators | undefined;

type JsonObject = { [key: string]: unknown };
function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds `discriminator: {propertyName: 'type'}` to every oneOf whose branches each require a distinct `type` const. */
function addDiscriminators(schema: JsonObject): void {
  const defs = isObject(schema.$defs) ? schema.$defs : {};
  const resolve = (s: unknown): JsonObject | undefined => {
    if (isObject(s) && typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/')) {
      const target = defs[s.$ref.slice('#/$defs/'.length)];
      return isObject(target) ? target : undefined;
    }
    return isObject(s) ? s : undefined;
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!isObject(node)) return;
    if (Array.isArray(node.oneOf) && node.discriminator === undefined) {
      const tags: unknown[] = [];
      let usable = true;
      for (const branch of node.oneOf) {
        const target = resolve(branch);
        const props = target && isObject(target.properties) ? target.properties : undefined;
        const typeSchema = props && isObject(props.type) ? props.type : undefined;
        const required = target && Array.isArray(target.required) ? target.required : [];
        if (!typeSchema || !required.includes('type')) {
          usable = false;
          break;
        }
        if ('const' in typeSchema) tags.push(typeSchema.const);
        else if (Array.isArray(typeSchema.enum)) tags.push(...typeSchema.enum);
        else {
          usable = false;
          break;
        }
      }
      if (usable && new Set(tags).size === tags.length) node.discriminator = { propertyName: 'type' };
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(schema);
}

function getValidators(): Validators {
  if (validators) return validators;
  const schema = JSON.parse(
    readFileSync(sandboxFile(`slack/${BLOCK_KIT_SCHEMA_FILE}`), 'utf8'),
  ) as JsonObject;
  addDiscriminators(schema);
  // inlineRefs/optimize/validateSchema off: compiling this 68 kB schema drops from ~2 s to ~0.4 s; validation
  // results are the same (the file is a known-good vendored copy).
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    discriminator: true,
    inlineRefs: false,
    validateSchema: false,
    code: { optimize: false },
  });
  addFormats(ajv);
  ajv.addSchema(schema);
  const get = (ref: string): ValidateFunction => {
    const fn = ajv.getSchema(ref);
    if (!fn) throw new Error(`Block Kit schema has no ${ref}`);
    return fn;
  };
  validators = {
    blocks: get(SCHEMA_ID),
    modal: get(`${SCHEMA_ID}#/$defs/modal_view`),
    home: get(`${SCHEMA_ID}#/$defs/home_view`),
  };
  return validators;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function describeAjvError(error: ErrorObject, root: unknown): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `must NOT have additional property "${String(p.additionalProperty)}"`;
    case 'discriminator':
      return p.error === 'mapping' ? `unknown type "${String(p.tagValue)}"` : (error.message ?? 'bad "type"');
    case 'maxLength':
    case 'minLength': {
      const value = valueAt(root, error.instancePath);
      const got = typeof value === 'string' ? ` (got ${value.length})` : '';
      return `${error.message ?? error.keyword}${got}`;
    }
    case 'maxItems':
    case 'minItems': {
      const value = valueAt(root, error.instancePath);
      const got = Array.isArray(value) ? ` (got ${value.length})` : '';
      return `${error.message ?? error.keyword}${got}`;
    }
    case 'enum':
      return `${error.message ?? 'must be one of'}: ${JSON.stringify(p.allowedValues)}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return error.message ?? error.keyword;
  }
}

function ajvIssues(validate: ValidateFunction, data: unknown, prefix: string): BlockKitIssue[] {
  if (validate(data)) return [];
  const seen = new Set<string>();
  const issues: BlockKitIssue[] = [];
  for (const error of validate.errors ?? []) {
    // "must match 'then' schema" only repeats the error reported by the `then` branch itself.
    if (error.keyword === 'if') continue;
    const issue = { path: `${prefix}${error.instancePath}`, message: describeAjvError(error, data) };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** Walks blocks (including blocks nested in containers) and reports duplicate / over-long IDs. */
function idIssues(blocks: unknown, prefix: string, options: BlockKitCheckOptions): BlockKitIssue[] {
  if (!Array.isArray(blocks)) return [];
  const issues: BlockKitIssue[] = [];
  const blockIds = new Map<string, string>();
  const surfaceActionIds = new Map<string, string>();
  const perBlock = options.actionIdScope === 'block';

  const checkLength = (kind: string, id: string, path: string): void => {
    if (id.length > BLOCK_KIT_LIMITS.idMaxLength) {
      issues.push({
        path,
        message: `${kind} is ${id.length} characters; the limit is ${BLOCK_KIT_LIMITS.idMaxLength}`,
      });
    }
  };

  const walkElements = (node: unknown, path: string, actionIds: Map<string, string>): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        walkElements(child, `${path}/${i}`, actionIds);
      });
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.action_id === 'string') {
      const at = `${path}/action_id`;
      checkLength('action_id', node.action_id, at);
      const first = actionIds.get(node.action_id);
      if (first !== undefined) {
        issues.push({
          path: at,
          message: `duplicate action_id "${node.action_id}" (first used at ${first})`,
        });
      } else actionIds.set(node.action_id, at);
    }
    for (const [key, child] of Object.entries(node)) {
      // Nested blocks (container/card/carousel blocks) are walked as blocks, so their block_ids are seen too.
      if (key === 'blocks' || key === 'cards' || key === 'children')
        walkBlocks(child, `${path}/${key}`, actionIds);
      else if (typeof child === 'object' && child !== null) walkElements(child, `${path}/${key}`, actionIds);
    }
  };

  const walkBlocks = (
    list: unknown,
    path: string,
    parentActionIds: Map<string, string> | undefined,
  ): void => {
    if (!Array.isArray(list)) return;
    list.forEach((block, i) => {
      const blockPath = `${path}/${i}`;
      if (!isObject(block)) return;
      if (typeof block.block_id === 'string') {
        const at = `${blockPath}/block_id`;
        checkLength('block_id', block.block_id, at);
        const first = blockIds.get(block.block_id);
        if (first !== undefined) {
          issues.push({
            path: at,
            message: `duplicate block_id "${block.block_id}" (first used at ${first})`,
          });
        } else blockIds.set(block.block_id, at);
      }
      const actionIds = perBlock ? (parentActionIds ?? new Map<string, string>()) : surfaceActionIds;
      for (const [key, child] of Object.entries(block)) {
        if (key === 'block_id' || key === 'type') continue;
        if (key === 'blocks' || key === 'cards' || key === 'children')
          walkBlocks(child, `${blockPath}/${key}`, actionIds);
        else walkElements(child, `${blockPath}/${key}`, actionIds);
      }
    });
  };

  walkBlocks(blocks, prefix, undefined);
  return issues;
}

/** Schema issues plus ID issues, without repeating a length problem the schema already reported at that path. */
function merge(schemaIssues: BlockKitIssue[], ids: BlockKitIssue[]): BlockKitIssue[] {
  const schemaPaths = new Set(schemaIssues.map((i) => i.path));
  return [
    ...schemaIssues,
    ...ids.filter((i) => !(i.message.includes('characters; the limit') && schemaPaths.has(i.path))),
  ];
}

/** Every problem with a message's `blocks` array (empty when valid). Paths start with `/blocks`. */
export function messageBlocksIssues(blocks: unknown, options: BlockKitCheckOptions = {}): BlockKitIssue[] {
  const issues = ajvIssues(getValidators().blocks, blocks, '/blocks');
  if (Array.isArray(blocks) && blocks.length > BLOCK_KIT_LIMITS.messageBlocks) {
    issues.unshift({
      path: '/blocks',
      message: `a message holds at most ${BLOCK_KIT_LIMITS.messageBlocks} blocks (got ${blocks.length})`,
    });
  }
  return merge(issues, idIssues(blocks, '/blocks', options));
}

/** Every problem with a modal view as passed to views.open / views.push / views.update (empty when valid). */
export function modalIssues(view: unknown, options: BlockKitCheckOptions = {}): BlockKitIssue[] {
  const issues = ajvIssues(getValidators().modal, view, '');
  return merge(issues, idIssues(isObject(view) ? view.blocks : undefined, '/blocks', options));
}

/** Every problem with a Home tab view as passed to views.publish (empty when valid). */
export function homeTabIssues(view: unknown, options: BlockKitCheckOptions = {}): BlockKitIssue[] {
  const issues = ajvIssues(getValidators().home, view, '');
  return merge(issues, idIssues(isObject(view) ? view.blocks : undefined, '/blocks', options));
}

/** Throws a {@link BlockKitValidationError} listing every problem unless `blocks` is a valid message. */
export function assertValidMessageBlocks(
  blocks: unknown,
  options: BlockKitCheckOptions = {},
): asserts blocks is (KnownBlock | Block)[] {
  const issues = messageBlocksIssues(blocks, options);
  if (issues.length > 0) throw new BlockKitValidationError('message', issues);
}

/** Throws a {@link BlockKitValidationError} listing every problem unless `view` is a valid modal. */
export function assertValidModal(
  view: unknown,
  options: BlockKitCheckOptions = {},
): asserts view is ModalView {
  const issues = modalIssues(view, options);
  if (issues.length > 0) throw new BlockKitValidationError('modal', issues);
}

/** Throws a {@link BlockKitValidationError} listing every problem unless `view` is a valid Home tab. */
export function assertValidHomeTab(
  view: unknown,
  options: BlockKitCheckOptions = {},
): asserts view is HomeView {
  const issues = homeTabIssues(view, options);
  if (issues.length > 0) throw new BlockKitValidationError('home', issues);
}
