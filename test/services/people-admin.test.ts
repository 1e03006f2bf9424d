/** The people admin's paging and search (pure). */
import type { Login } from '../../src/megameeting/types.js';
import { pageOfLogins } from '../../src/services/people-admin.js';

const login = (i: number, over: Partial<Login> = {}): Login => ({
  loginId: `id${String(i).padStart(3, '0')}`,
  userName: `user${i}`,
  email: `p${i}@example.com`,
  fullName: `Person ${String(i).padStart(2, '0')}`,
  active: true,
  roles: ['host'],
  ...over,
});

const logins = Array.from({ length: 23 }, (_, i) => login(23 - i));

test('sorted by name, 10 a page; the page is clamped to what exists', () => {
  const first = pageOfLogins(logins, '', 0);
  expect(first).toMatchObject({ page: 0, pageCount: 3, total: 23 });
  expect(first.logins.map((l) => l.fullName)).toEqual(
    Array.from({ length: 10 }, (_, i) => `Person ${String(i + 1).padStart(2, '0')}`),
  );
  expect(pageOfLogins(logins, '', 2).logins).toHaveLength(3);
  expect(pageOfLogins(logins, '', 99)).toMatchObject({ page: 2 });
  expect(pageOfLogins(logins, '', -1)).toMatchObject({ page: 0 });
  expect(pageOfLogins([], '', 0)).toMatchObject({ page: 0, pageCount: 1, total: 0, logins: [] });
});

test('search: name, user name, email or login ID, without case, trimmed', () => {
  expect(pageOfLogins(logins, '  PERSON 07 ', 0).logins.map((l) => l.loginId)).toEqual(['id007']);
  expect(pageOfLogins(logins, 'user12', 0).logins.map((l) => l.loginId)).toEqual(['id012']);
  expect(pageOfLogins(logins, 'P3@EXAMPLE', 0).logins.map((l) => l.loginId)).toEqual(['id003']);
  expect(pageOfLogins(logins, 'id01', 0).total).toBe(10);
  expect(pageOfLogins(logins, 'nobody', 0)).toMatchObject({ total: 0, logins: [] });
});

test('a login without a full name sorts by its user name', () => {
  const named = pageOfLogins([login(1, { fullName: '', userName: 'zed' }), login(2)], '', 0);
  expect(named.logins.map((l) => l.loginId)).toEqual(['id002', 'id001']);
});

test('names equal but for case or accents sort by login ID', () => {
  const same = [login(2, { fullName: 'ana' }), login(1, { fullName: 'Ána' }), login(3, { fullName: 'Ana' })];
  expect(pageOfLogins(same, '', 0).logins.map((l) => l.loginId)).toEqual(['id001', 'id002', 'id003']);
});
