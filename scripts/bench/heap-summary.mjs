/**
 * Self size and count of a V8 heap snapshot by constructor (or node type), largest first; with two snapshots,
 * what grew from the first to the second. Used to find what each in-flight command holds (docs/benchmarks.md,
 * "Fourth round"):
 *
 *   node scripts/bench/heap-summary.mjs mid.heapsnapshot [after.heapsnapshot] [--top 40]
 */
import { readFileSync } from 'node:fs';

function summarize(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const { node_fields: fields, node_types: types } = snap.snapshot.meta;
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const typeNames = types[0];
  const { nodes, strings } = snap;
  const by = new Map();
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + iType]];
    const size = nodes[i + iSize];
    const key =
      type === 'object' || type === 'closure'
        ? `${strings[nodes[i + iName]]}${type === 'closure' ? '()' : ''}`
        : `(${type})`;
    const e = by.get(key) ?? { size: 0, count: 0 };
    e.size += size;
    e.count++;
    by.set(key, e);
    total += size;
  }
  return { by, total };
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 40;
const files = args.filter((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
const a = summarize(files[0]);
const mb = (n) => (n / 1048576).toFixed(2);
if (files.length === 1) {
  console.log(`total ${mb(a.total)} MB`);
  for (const [k, e] of [...a.by].sort((x, y) => y[1].size - x[1].size).slice(0, top))
    console.log(`${mb(e.size).padStart(8)} MB ${String(e.count).padStart(9)}  ${k}`);
} else {
  const b = summarize(files[1]);
  console.log(`total ${mb(a.total)} MB → ${mb(b.total)} MB`);
  const keys = new Set([...a.by.keys(), ...b.by.keys()]);
  const rows = [...keys].map((k) => {
    const x = a.by.get(k) ?? { size: 0, count: 0 };
    const y = b.by.get(k) ?? { size: 0, count: 0 };
    return { k, d: y.size - x.size, dc: y.count - x.count, x, y };
  });
  for (const r of rows.sort((p, q) => Math.abs(q.d) - Math.abs(p.d)).slice(0, top))
    console.log(
      `${mb(r.d).padStart(8)} MB ${String(r.dc).padStart(8)}  ${r.k}  (${mb(r.x.size)} → ${mb(r.y.size)} MB, ${r.x.count} → ${r.y.count})`,
    );
}
