/**
 * Paths of the sandbox's data files (the Block Kit schema, the browser script). They stay next to the sources;
 * the compiled modules under `dist/` find them by walking up to the checkout, so no build step copies them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of `sandbox/<relative>` in the checkout, whether this module runs from sources or dist/. */
export function sandboxFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'sandbox', relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`sandbox file not found: sandbox/${relative}`);
    dir = parent;
  }
}
