/**
 * The install pages of multi-workspace mode, as pure functions to HTML: the "Add to Slack" page
 * (`GET /slack/install`), the success page with the next step, and one clear page per failure. Everything
 * interpolated is escaped; no token, code or state ever appears in a page.
 */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:38rem;margin:4rem auto;padding:0 1rem;' +
  'line-height:1.5;color:#1d1c1d}h1{font-size:1.5rem}a.button{display:inline-block;padding:.6rem 1.1rem;' +
  'border-radius:6px;background:#4a154b;color:#fff;text-decoration:none;font-weight:600}code{background:#f4f4f4;' +
  'padding:0 .25rem;border-radius:3px}';

function layout(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)} · MegaMeeting for Slack</title><style>${STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>`
  );
}

/** `GET /slack/install`: what the app does and the button to Slack's authorize page. */
export function installPage(authorizeUrl: string): string {
  return layout(
    'Add to Slack',
    '<h1>Add MegaMeeting to your Slack workspace</h1>' +
      '<p>Start, schedule and manage MegaMeeting video meetings and webinars from Slack with <code>/meet</code>.</p>' +
      `<p><a class="button" id="add-to-slack" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>` +
      '<p>Slack will ask you to allow the app in your workspace, then bring you back here.</p>',
  );
}

export interface InstalledWhere {
  teamName: string | null;
  enterpriseName: string | null;
  isEnterpriseInstall: boolean;
  /** `slack://app?team=…&id=…`, when known. */
  slackAppUrl: string | null;
}

/** After a successful install: where it went and the next step (connecting MegaMeeting). */
export function installedPage(where: InstalledWhere): string {
  const name = where.isEnterpriseInstall
    ? `your organization${where.enterpriseName ? ` ${where.enterpriseName}` : ''}`
    : where.teamName
      ? escapeHtml(where.teamName)
      : 'your workspace';
  const open = where.slackAppUrl
    ? `<p><a class="button" href="${escapeHtml(where.slackAppUrl)}">Open Slack</a></p>`
    : '';
  return layout(
    'Installed',
    `<h1>MegaMeeting is installed in ${escapeHtml(name)}</h1>` +
      '<h2>Next: connect your MegaMeeting account</h2>' +
      '<p>A Slack admin or owner of the workspace types <code>/meet connect</code> in Slack and enters the ' +
      'MegaMeeting account URL and an admin API token. Until then, <code>/meet</code> answers that the ' +
      'workspace is not connected yet.</p>' +
      open,
  );
}

export type InstallFailure = 'cancelled' | 'bad_state' | 'missing_code' | 'slack_refused' | 'unexpected';

const FAILURES: Record<InstallFailure, { status: number; title: string; text: string }> = {
  cancelled: {
    status: 200,
    title: 'Installation cancelled',
    text: 'You cancelled the installation on Slack, so nothing was installed.',
  },
  bad_state: {
    status: 400,
    title: 'This installation link has expired or was already used',
    text:
      'For your security, each installation link works once, within 10 minutes, in the browser that opened ' +
      'it. Nothing was installed.',
  },
  missing_code: {
    status: 400,
    title: 'Slack did not complete the installation',
    text: 'Slack came back without an authorization code. Nothing was installed.',
  },
  slack_refused: {
    status: 502,
    title: 'Slack refused to complete the installation',
    text: 'Slack did not accept the authorization. Nothing was installed.',
  },
  unexpected: {
    status: 500,
    title: 'The installation could not be completed',
    text: 'Something went wrong on our side while saving the installation. Nothing was installed.',
  },
};

export function failurePage(kind: InstallFailure, detail?: string): { status: number; html: string } {
  const f = FAILURES[kind];
  const why = detail ? ` (Slack said: <code>${escapeHtml(detail)}</code>)` : '';
  return {
    status: f.status,
    html: layout(
      f.title,
      `<h1>${escapeHtml(f.title)}</h1><p>${escapeHtml(f.text)}${why}</p>` +
        '<p><a class="button" href="/slack/install">Start again</a></p>',
    ),
  };
}
