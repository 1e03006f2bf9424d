/**
 * Where a `--cpu-prof` profile's samples went: self time by function and by package (node_modules/<name>, or
 * the app's own file), and inclusive time by package (a package counted once per sample, however deep).
 *
 *   node scripts/bench/cpu-summary.mjs /tmp/prof/CPU.*.cpuprofile [--top 40] [--dirs kysely]
 *
 * `--dirs <package>` adds that package's self time by folder of its dist (for Kysely: query-builder, parser,
 * operation-node and query-compiler build and compile a query; driver, query-executor and dialect run it).
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 40;
const dirsAt = args.indexOf('--dirs');
const dirsOf = dirsAt >= 0 ? args[dirsAt + 1] : null;
const file = args.find(
  (a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1) && (dirsAt < 0 || i !== dirsAt + 1),
);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function where(n) {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName || '(native)';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  const d = url.match(/dist\/(src\/.*)$/);
  return d ? d[1] : url;
}

/** The folder of a package's file below its dist/<format>/ (or the file's own folder). */
function folderIn(url, pkg) {
  const rest = url.slice(url.indexOf(`node_modules/${pkg}/`) + `node_modules/${pkg}/`.length);
  const parts = rest.replace(/^dist\/[^/]+\//, '').split('/');
  return parts.length > 1 ? parts[0] : '(top)';
}

const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const idle = [...dt]
  .filter(([id]) => byId.get(id).callFrame.functionName === '(idle)')
  .reduce((a, [, t]) => a + t, 0);
const selfFn = new Map();
const selfPkg = new Map();
const inclPkg = new Map();
const selfDir = new Map();
const add = (m, k, t) => m.set(k, (m.get(k) ?? 0) + t);
for (const [id, t] of dt) {
  const n = byId.get(id);
  add(selfFn, `${n.callFrame.functionName || '(anon)'} ${where(n)}:${n.callFrame.lineNumber + 1}`, t);
  add(selfPkg, where(n), t);
  if (dirsOf && where(n) === dirsOf) add(selfDir, folderIn(n.callFrame.url, dirsOf), t);
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) seen.add(where(byId.get(p)));
  for (const w of seen) add(inclPkg, w, t);
}
const s = (us) => `${(us / 1e6).toFixed(2)} s`;
console.log(`profile ${s(total)}, idle ${s(idle)}, busy ${s(total - idle)}`);
for (const [title, m] of [
  ['self by function', selfFn],
  ['self by package/file', selfPkg],
  ['inclusive by package/file', inclPkg],
  ...(dirsOf ? [[`self in ${dirsOf} by folder`, selfDir]] : []),
]) {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${s(t).padStart(9)}  ${k}`);
}
