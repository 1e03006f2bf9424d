import { GraphQLClient } from 'graphql-request';
import { parse, print } from 'graphql';

test('ESM dependencies load under jest', () => {
  expect(typeof GraphQLClient).toBe('function');
  expect(print(parse('{ a }'))).toContain('a');
});
