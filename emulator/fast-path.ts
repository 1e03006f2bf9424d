/**
 * A fast path for the large, flat list queries (`recordings`, `meetings`, `logins`): graphql-js spends most
 * of its time completing tens of thousands of scalar fields one by one. For an already-validated query that
 * only selects plain fields (aliases allowed; no fragments, directives, arguments below the root, variables or
 * __typename), the answer is a projection of the resolver's plain data, which is what is computed here.
 * Anything else, or any error, returns null and the caller runs graphql-js as usual.
 */
import { type FieldNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RequestContext } from './resolvers.js';

const FAST_ROOTS = new Set(['recordings', 'meetings', 'logins']);

/** True when every selection in the set (recursively) is a plain field without directives or arguments. */
function plain(set: SelectionSetNode): boolean {
  const keys = new Set<string>();
  for (const sel of set.selections) {
    if (sel.kind !== Kind.FIELD) return false;
    // A repeated response key would need graphql-js's field merging.
    const key = sel.alias?.value ?? sel.name.value;
    if (keys.has(key)) return false;
    keys.add(key);
    if (sel.name.value.startsWith('__')) return false;
    if ((sel.directives?.length ?? 0) > 0 || (sel.arguments?.length ?? 0) > 0) return false;
    if (sel.selectionSet && !plain(sel.selectionSet)) return false;
  }
  return true;
}

function project(value: unknown, field: FieldNode): unknown {
  if (!field.selectionSet || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => project(v, field));
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const sel of field.selectionSet.selections as readonly FieldNode[]) {
    out[sel.alias?.value ?? sel.name.value] = project(src[sel.name.value], sel);
  }
  return out;
}

export function fastExecute(
  operation: OperationDefinitionNode,
  root: Record<string, (args: never, ctx: RequestContext) => unknown>,
  ctx: RequestContext,
): { data: Record<string, unknown> } | null {
  if (operation.operation !== 'query' || (operation.variableDefinitions?.length ?? 0) > 0) return null;
  if ((operation.directives?.length ?? 0) > 0) return null;
  if (!plain(operation.selectionSet)) return null;
  const fields: FieldNode[] = [];
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || !FAST_ROOTS.has(sel.name.value)) return null;
    if ((sel.directives?.length ?? 0) > 0 || (sel.arguments?.length ?? 0) > 0) return null;
    if (!sel.selectionSet || !plain(sel.selectionSet)) return null;
    fields.push(sel);
  }
  const data: Record<string, unknown> = {};
  try {
    for (const field of fields) {
      const resolve = root[field.name.value];
      if (!resolve) return null;
      data[field.alias?.value ?? field.name.value] = project(resolve({} as never, ctx), field);
    }
  } catch {
    return null; // let graphql-js produce the error response
  }
  return { data };
}
