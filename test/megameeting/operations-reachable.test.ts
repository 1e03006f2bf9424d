/**
 * Issue 14: every operation the MegaMeeting documentation describes is reachable from the app, not only from the
 * client. The operations are read from the documentation's examples (test/emulator/doc-examples.ts, copied
 * verbatim from the page); for each, the client method that sends it is read from src/megameeting/client.ts, and
 * some module outside src/megameeting/ must call that method and be imported, directly or not, by src/main.ts
 * (the app). test/app/operations.http.test.ts drives the app and reads the emulator's request log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { documentedOperations } from './support/doc-operations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'src');

/** Client method → the documented operation it sends (`operations.<op>(` in its body). */
function clientMethods(): Map<string, string> {
  const text = readFileSync(join(src, 'megameeting/client.ts'), 'utf8');
  const methods = new Map<string, string>();
  const re = /\n {2}async (\w+)\([^)]*\)[^{]*\{([\s\S]*?)\n {2}\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const sent = /operations\.(\w+)\(/.exec(m[2] ?? '')?.[1];
    if (sent && m[1]) methods.set(m[1], sent);
  }
  return methods;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Every module of src/ that src/main.ts reaches through relative imports (static, re-exports and dynamic). The
 * local sandbox (outside src/) is not the app and is not followed.
 */
function reachableFromMain(): Set<string> {
  const seen = new Set<string>();
  const todo = [join(src, 'main.ts')];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const re = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const target = resolve(dirname(file), `${m[1]}.ts`);
      if (target.startsWith(`${src}/`) && !seen.has(target)) todo.push(target);
    }
  }
  return seen;
}

const DOCUMENTED = [
  'meetings',
  'logins',
  'startRemux',
  'recordings',
  'apiTokenDetails',
  'getVerifiedGuest',
  'createMeeting',
  'updateMeeting',
  'endMeeting',
  'addVerifiedGuest',
  'updateVerifiedGuest',
  'removeVerifiedGuest',
  'createLogin',
  'updateLogin',
  'deleteLogin',
  'createAPIToken',
  'revokeAPIToken',
  'userInvitation',
  'login',
  'deleteRecording',
];

describe('every documented MegaMeeting operation is reachable from the app', () => {
  it('the documentation describes twenty operations', () => {
    expect(documentedOperations().sort()).toEqual([...DOCUMENTED].sort());
  });

  it('each is sent by a client method that a module of the app (outside src/megameeting/) calls', () => {
    const methods = clientMethods();
    const app = reachableFromMain();
    const callers = sourceFiles(src).filter((f) => !f.startsWith(join(src, 'megameeting')) && app.has(f));
    const unreachable: string[] = [];
    const usedBy: Record<string, string[]> = {};
    for (const op of documentedOperations()) {
      const senders = [...methods].filter(([, sent]) => sent === op).map(([method]) => method);
      expect(senders.length).toBeGreaterThan(0);
      const files = callers.filter((f) => {
        const text = readFileSync(f, 'utf8');
        return senders.some((method) => new RegExp(`\\bmegameeting\\s*\\.\\s*${method}\\s*\\(`).test(text));
      });
      usedBy[op] = files.map((f) => relative(root, f));
      if (files.length === 0) unreachable.push(op);
    }
    expect(unreachable).toEqual([]);
    // Spot checks that the scan finds what it should (a broken regex would find nothing and fail above).
    expect(usedBy.deleteRecording).toContain('src/services/recordings/manage.ts');
    expect(usedBy.getVerifiedGuest).toContain('src/services/guests/service.ts');
  });

  it('the scan is not vacuous: a module the app never imports does not count', () => {
    const app = reachableFromMain();
    expect(app.has(join(src, 'app.ts'))).toBe(true);
    expect(app.has(join(src, 'services/recordings/manage.ts'))).toBe(true);
    expect(app.has(join(root, 'scripts/bench/main.ts'))).toBe(false);
  });
});
