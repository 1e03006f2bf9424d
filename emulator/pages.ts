/** The small HTML pages the emulator serves for join links, downloads, playback and login links. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A minimal HTML page; `title` and `lines` are plain text (escaped here). */
export function page(title: string, lines: string[], data: Record<string, string> = {}): string {
  const attrs = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · MegaMeeting emulator</title></head>
<body${attrs}>
<h1>${escapeHtml(title)}</h1>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<footer><small>MegaMeeting emulator: not the real MegaMeeting service.</small></footer>
</body>
</html>
`;
}

/** A few bytes that look like the start of an MP4 file (an `ftyp` box). */
export const FAKE_MP4 = Buffer.from([
  0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, 0x00, 0x00, 0x00, 0x00, 0x6d, 0x70,
  0x34, 0x32, 0x69, 0x73, 0x6f, 0x6d,
]);
