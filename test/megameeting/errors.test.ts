import {
  codeForFailedStatus,
  codeFromGraphQLCode,
  codeFromHttpStatus,
  codeFromMessage,
  MegaMeetingError,
  redactSecrets,
} from '../../src/megameeting/errors.js';

const TOKEN = 'B834JR9F763JFKJF993JI0FJ4GH67234';

describe('MegaMeetingError', () => {
  test('carries code, operation and details, and names the operation', () => {
    const e = new MegaMeetingError({
      code: 'not_found',
      operation: 'endMeeting',
      serverMessage: 'Meeting not found',
      httpStatus: 200,
      graphqlErrors: [{ message: 'Meeting not found', code: 'NOT_FOUND' }],
      attempts: 1,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('MegaMeetingError');
    expect(e.code).toBe('not_found');
    expect(e.operation).toBe('endMeeting');
    expect(e.message).toContain('endMeeting');
    expect(e.message).toContain('Meeting not found');
    expect(e.graphqlErrors).toEqual([{ message: 'Meeting not found', code: 'NOT_FOUND' }]);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: 'not_found', operation: 'endMeeting' });
  });

  test('masks apiToken assignments even without knowing the token', () => {
    const e = new MegaMeetingError({
      code: 'unauthorized',
      operation: 'meetings',
      serverMessage: `bad request to https://x.megameeting.com/api?apiToken=${TOKEN}&a=1 with {"apiToken":"${TOKEN}"}`,
      graphqlErrors: [{ message: `apiToken: ${TOKEN}` }],
    });
    expect(e.message).not.toContain(TOKEN);
    expect(e.serverMessage).not.toContain(TOKEN);
    expect(JSON.stringify(e)).not.toContain(TOKEN);
    expect(e.message).toContain('apiToken=[redacted]');
  });
});

describe('redactSecrets', () => {
  test('masks the token verbatim, URL-encoded and JSON-escaped', () => {
    const odd = 'a+b/c="d"';
    const text = `x ${odd} y ${encodeURIComponent(odd)} z ${JSON.stringify(odd)}`;
    const out = redactSecrets(text, [odd]);
    expect(out).not.toContain(odd);
    expect(out).not.toContain(encodeURIComponent(odd));
    expect(out).not.toContain('a+b/c=\\"d\\"');
  });
  test('ignores empty and tiny secrets', () => {
    expect(redactSecrets('a 1 b', ['', '1', undefined])).toBe('a 1 b');
  });
});

describe('mapping', () => {
  test.each([
    ['UNAUTHENTICATED', 'unauthorized'],
    ['FORBIDDEN', 'forbidden'],
    ['NOT_FOUND', 'not_found'],
    ['BAD_USER_INPUT', 'invalid_input'],
    ['GRAPHQL_VALIDATION_FAILED', 'invalid_input'],
    ['GRAPHQL_PARSE_FAILED', 'invalid_input'],
    ['INTERNAL_SERVER_ERROR', undefined],
    [undefined, undefined],
  ])('extensions.code %s → %s', (code, expected) => {
    expect(codeFromGraphQLCode(code)).toBe(expected);
  });

  test.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [408, 'timeout'],
    [429, 'unavailable'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    [400, undefined],
    [404, undefined],
    [200, undefined],
  ])('HTTP %s → %s', (status, expected) => {
    expect(codeFromHttpStatus(status)).toBe(expected);
  });

  test.each([
    ['Meeting not found', 'not_found'],
    ['Login does not exist', 'not_found'],
    ['Invalid API token', 'unauthorized'],
    ['Unauthorized', 'unauthorized'],
    ['Missing apiToken', 'unauthorized'],
    ['You are not authorized to change this meeting', 'forbidden'],
    ['Admin only', 'forbidden'],
    ['Forbidden', 'forbidden'],
    ['Permission denied', 'forbidden'],
    ['Authentication required', 'unauthorized'],
    ['meetingName is required', 'invalid_input'],
    ['Cannot query field "x" on type "Query".', 'invalid_input'],
    ['Something odd', undefined],
    [undefined, undefined],
  ])('message %j → %s', (message, expected) => {
    expect(codeFromMessage(message)).toBe(expected);
  });

  test.each([
    ['Meeting not found', 'not_found'],
    ['Not allowed to end this meeting', 'forbidden'],
    ['Meeting has ended', 'invalid_input'],
    ['Failed to create API token', 'invalid_input'],
    ['', 'invalid_input'],
    [undefined, 'invalid_input'],
  ])('failed status with message %j → %s', (message, expected) => {
    expect(codeForFailedStatus(message)).toBe(expected);
  });
});
