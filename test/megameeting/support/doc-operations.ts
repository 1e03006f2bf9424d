/** The operations MegaMeeting's documentation describes: the top-level field of each example request. */
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { DOC_EXAMPLES } from '../../emulator/doc-examples.js';

export function documentedOperations(): string[] {
  const names = DOC_EXAMPLES.map((example) => {
    const op = parse(example.request).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const field = op?.selectionSet.selections[0];
    if (!field || field.kind !== Kind.FIELD) throw new Error(`no operation in the example "${example.name}"`);
    return field.name.value;
  });
  return [...new Set(names)];
}
