import { escapeHtml } from '../text-html.ts';

export interface ConsentPageInput {
  appName: string;
  scopes: string[];
  /** The authorization request's parameters, carried through the form as hidden fields. */
  params: Record<string, string>;
  signedInAs?: string;
  /** The signed-in session's CSRF token, or the log-in form's token. */
  csrfToken?: string;
  error?: string;
  /** Set after a right password for an account with two-factor log-in: the page asks for the code. */
  twoFactorChallenge?: string;
}

/**
 * The log-in and consent page of /oauth/authorize. Everything user-controlled is escaped;
 * there is no inline script or style, so the strict CSP holds.
 */
export function renderConsentPage(input: ConsentPageInput): string {
  const hidden = Object.entries(input.params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  const csrf = `<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken ?? '')}">`;
  const login = input.signedInAs
    ? `<p>Signed in as <strong>@${escapeHtml(input.signedInAs)}</strong></p>
      ${csrf}`
    : input.twoFactorChallenge
      ? `<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
      <label>Two-factor code <input name="two_factor_code" autocomplete="one-time-code" inputmode="numeric" required maxlength="32" autofocus></label>
      <input type="hidden" name="two_factor_challenge" value="${escapeHtml(input.twoFactorChallenge)}">
      ${csrf}`
      : `<label>Username or email <input name="login" autocomplete="username" required maxlength="254"></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
      ${csrf}`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Authorize ${escapeHtml(input.appName)} · Glimpse</title>
  <link rel="stylesheet" href="/static/oauth.css">
</head>
<body>
  <main class="card">
    <h1>Glimpse</h1>
    <p><strong>${escapeHtml(input.appName)}</strong> wants to use your account.</p>
    <ul class="scopes">${input.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
    ${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
    <form method="post" action="/oauth/authorize">
      ${hidden}
      ${login}
      <div class="actions">
        <button type="submit" name="decision" value="approve">Authorize</button>
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
      </div>
    </form>
  </main>
</body>
</html>`;
}

export function renderCodePage(code: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization code · Glimpse</title>
<link rel="stylesheet" href="/static/oauth.css"></head>
<body><main class="card"><h1>Authorization code</h1><p>Copy this code into the app:</p>
<pre class="code">${escapeHtml(code)}</pre></main></body></html>`;
}
