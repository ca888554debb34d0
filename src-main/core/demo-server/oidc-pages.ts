import { OIDC_DEMO_MACHINE_CLIENT, OIDC_DEMO_MACHINE_SECRET, OIDC_DEMO_PASSWORD, OIDC_DEMO_PUBLIC_CLIENT, OIDC_DEMO_USERS } from './oidc-accounts.js';

/**
 * The demo issuer's pages, for a person: plain HTML forms that work without JavaScript, readable in
 * light and dark, each saying where the user is (a demo) and what to type. Every value from a request
 * is escaped.
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#59636e;--line:#d0d7de;--accent:#2563eb;--accent-text:#fff;--error:#b42318;--error-bg:#fdecea}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1b2027;--text:#e6edf3;--muted:#9aa6b2;--line:#3a434e;--accent:#4c8dff;--accent-text:#0b1220;--error:#ff8a80;--error-bg:#3b1d1b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:30rem;margin:3rem auto;padding:0 1rem}
main.wide{max-width:46rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.5rem 1.75rem}
.brand{color:var(--muted);font-size:.875rem;margin:0 0 .75rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0}
.muted{color:var(--muted)}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--text)}
input.code{font:600 1.6rem/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.12em;text-transform:uppercase;text-align:center}
.actions{display:flex;gap:.75rem;margin-top:1.25rem;flex-wrap:wrap}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border-radius:6px;border:1px solid var(--line);background:var(--card);color:var(--text);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
button:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.error{background:var(--error-bg);color:var(--error);border-radius:6px;padding:.6rem .8rem;margin:1rem 0 0}
.notice{border:1px solid var(--accent);border-radius:6px;padding:.6rem .8rem;margin:1rem 0 0}
.code-shown{font:700 2rem/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.12em;text-align:center;margin:1rem 0}
ul.scopes{padding-left:1.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td:first-child code{white-space:nowrap}
.demo-note{font-size:.875rem;color:var(--muted);border-top:1px solid var(--line);margin-top:1.5rem;padding-top:.75rem}
`;

export function page(title: string, body: string, opts: { wide?: boolean } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · TokenDesk demo sign-in</title><style>${STYLE}</style></head><body><main${opts.wide ? ' class="wide"' : ''}><div class="card"><p class="brand">TokenDesk demo OpenID provider</p>${body}</div></main></body></html>`;
}

const errorBox = (message: string | undefined) => (message ? `<p class="error" role="alert">${esc(message)}</p>` : '');

/** The demo accounts, under the login form: this is a demo, and a new user has no other way to know them. */
const demoAccountsNote = () =>
  `<p class="demo-note">Demo accounts: ${OIDC_DEMO_USERS.map((u) => `<code>${esc(u.email)}</code>`).join(', ')}, password <code>${esc(OIDC_DEMO_PASSWORD)}</code>.</p>`;

export function loginPage(opts: { action: string; abortAction: string; clientName: string; login?: string; error?: string }): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1><p class="muted">to continue to <strong>${esc(opts.clientName)}</strong></p>${errorBox(opts.error)}
<form method="post" action="${esc(opts.action)}" autocomplete="off">
<label for="login">Email</label><input id="login" type="email" name="login" value="${esc(opts.login ?? '')}" required autofocus>
<label for="password">Password</label><input id="password" type="password" name="password" required>
<div class="actions"><button class="primary" type="submit">Sign in</button><button type="submit" formaction="${esc(opts.abortAction)}" formnovalidate>Cancel</button></div>
</form>
${demoAccountsNote()}`,
  );
}

const SCOPE_WORDS: Record<string, string> = {
  openid: 'Know who you are (your user ID)',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay signed in: renew its access without asking you again (a refresh token)',
};

export function consentPage(opts: { action: string; abortAction: string; clientName: string; user: string; scopes: string[] }): string {
  const items = opts.scopes.map((s) => `<li>${esc(SCOPE_WORDS[s] ?? s)} <span class="muted">(<code>${esc(s)}</code>)</span></li>`).join('');
  return page(
    'Allow access',
    `<h1>Allow ${esc(opts.clientName)}?</h1><p>Signed in as <strong>${esc(opts.user)}</strong>. ${esc(opts.clientName)} asks to:</p>
<ul class="scopes">${items || '<li>Sign you in</li>'}</ul>
<div class="actions">
<form method="post" action="${esc(opts.action)}"><button class="primary" type="submit">Allow</button></form>
<form method="post" action="${esc(opts.abortAction)}"><button type="submit">Deny</button></form>
</div>`,
  );
}

/** The device flow's "enter the code" page; `form` is oidc-provider's own (its CSRF token and action). */
export function deviceInputPage(opts: { form: string; error?: string }): string {
  return page(
    'Enter the code',
    `<h1>Enter the code</h1><p>Type the code TokenDesk shows you.</p>${errorBox(opts.error)}
${opts.form.replace('type="text" name="user_code"', 'type="text" class="code" aria-label="Code" name="user_code"').replace(' onfocus="this.select(); this.onfocus = undefined;"', '')}
<div class="actions"><button class="primary" type="submit" form="op.deviceInputForm">Continue</button></div>`,
  );
}

export function deviceConfirmPage(opts: { form: string; clientName: string; userCode: string }): string {
  return page(
    'Confirm the code',
    `<h1>Is this the code TokenDesk shows?</h1><p class="code-shown">${esc(opts.userCode)}</p>
<p>Continue only if it matches what <strong>${esc(opts.clientName)}</strong> shows on your screen. Someone else may have sent you this link otherwise.</p>
${opts.form}
<div class="actions"><button class="primary" type="submit" form="op.deviceConfirmForm">Yes, continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">No, deny</button></div>`,
  );
}

export function deviceDonePage(clientName: string): string {
  return page('Signed in', `<h1>You are signed in</h1><p>${esc(clientName)} continues by itself: you may close this tab.</p>`);
}

export function errorPage(error: string, description: string | undefined): string {
  return page('Sign-in error', `<h1>The sign-in could not go on</h1><p class="error" role="alert">${esc(description ?? error)}</p><p class="muted">(<code>${esc(error)}</code>) Start the sign-in again from TokenDesk.</p>`);
}

export function logoutPage(form: string): string {
  return page('Sign out', `<h1>Sign out of the demo provider?</h1>${form}<div class="actions"><button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button><button type="submit" form="op.logoutForm">Stay signed in</button></div>`);
}

export function loggedOutPage(): string {
  return page('Signed out', '<h1>Signed out</h1><p>You may close this tab.</p>');
}

/** The issuer's home: what it is, its users and clients, and "end a user's sessions" (a dead refresh token on purpose). */
export function homePage(opts: { issuer: string; endAction: string; notice?: string }): string {
  const users = OIDC_DEMO_USERS.map(
    (u) =>
      `<tr><td><code>${esc(u.email)}</code></td><td>${esc(u.name)}</td><td><form method="post" action="${esc(opts.endAction)}"><input type="hidden" name="login" value="${esc(u.email)}"><button type="submit">End ${esc(u.givenName)}’s sessions</button></form></td></tr>`,
  ).join('');
  return page(
    'Demo OpenID provider',
    `<h1>Demo OpenID provider</h1><p>An OpenID Connect issuer on this computer (built on <code>oidc-provider</code>), for trying TokenDesk's browser, device-code and client-credentials sign-in without a backend.</p>
${opts.notice ? `<p class="notice" role="status">${esc(opts.notice)}</p>` : ''}
<p>Issuer: <code>${esc(opts.issuer)}</code> · <a href="${esc(`${opts.issuer}/.well-known/openid-configuration`)}">discovery document</a></p>
<h2>Users</h2><p class="muted">Password <code>${esc(OIDC_DEMO_PASSWORD)}</code> for each. Ending a user's sessions revokes their refresh tokens: TokenDesk's next renewal is refused.</p>
<table><thead><tr><th>Email</th><th>Name</th><th></th></tr></thead><tbody>${users}</tbody></table>
<h2>Clients</h2>
<table><thead><tr><th>Client ID</th><th>For</th></tr></thead><tbody>
<tr><td><code>${OIDC_DEMO_PUBLIC_CLIENT}</code></td><td>public (no secret): browser sign-in with PKCE on a loopback redirect <code>http://127.0.0.1:&lt;any port&gt;/callback</code>, device code, refresh tokens</td></tr>
<tr><td><code>${OIDC_DEMO_MACHINE_CLIENT}</code></td><td>confidential: client credentials, secret <code>${OIDC_DEMO_MACHINE_SECRET}</code></td></tr>
</tbody></table>`,
    { wide: true },
  );
}
