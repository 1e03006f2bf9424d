/**
 * What a sampling allocation profile (scripts/bench/alloc-probe.mjs) allocated: by function, by package or file, and
 * inclusive by package (a package counted once per stack).   node scripts/bench/alloc-summary.mjs <file> [top] [--dirs kysely]
 * `--dirs <package>` adds that package's self allocation by folder of its dist (as in cpu-summary.mjs).
 */
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const dirsAt = argv.indexOf('--dirs');
const dirsOf = dirsAt >= 0 ? argv[dirsAt + 1] : null;
const positional = argv.filter((a, i) => !a.startsWith('--') && (dirsAt < 0 || i !== dirsAt + 1));
const p = JSON.parse(readFileSync(positional[0], 'utf8'));
const top = Number(positional[1] ?? 40);
const self = new Map(),
  pkg = new Map(),
  incl = new Map(),
  dirs = new Map();
const folderIn = (url, name) => {
  const rest = url.slice(url.indexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
  const parts = rest.replace(/^dist\/[^/]+\//, '').split('/');
  return parts.length > 1 ? parts[0] : '(top)';
};
const where = (cf) => {
  const u = cf.url;
  if (!u) return cf.functionName || '(native)';
  const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const d = u.match(/dist\/(src\/.*)$/);
  return d ? d[1] : u;
};
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
let total = 0;
function walk(n, stack) {
  const sz = n.selfSize;
  total += sz;
  const w = where(n.callFrame);
  add(self, `${n.callFrame.functionName || '(anon)'} ${w}:${n.callFrame.lineNumber + 1}`, sz);
  add(pkg, w, sz);
  if (dirsOf && w === dirsOf) add(dirs, folderIn(n.callFrame.url, dirsOf), sz);
  const st = [...stack, w];
  for (const x of new Set(st)) add(incl, x, sz);
  for (const c of n.children) walk(c, st);
}
walk(p.head, []);
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
console.log('total sampled allocation', mb(total));
for (const [t, m] of [
  ['self fn', self],
  ['self pkg', pkg],
  ['inclusive pkg', incl],
  ...(dirsOf ? [[`self in ${dirsOf} by folder`, dirs]] : []),
]) {
  console.log(`\n${t}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(mb(v).padStart(10), k);
}
