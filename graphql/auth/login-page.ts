/**
 * The browser's sign-in page: a plain form that POSTs the S3 keys to
 * /_strata/login, which sets the session cookie and sends the browser back.
 */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function loginPage(opts: { redirect: string; error?: string }): string {
  const error = opts.error === undefined ? '' : `<p class="error">${escapeHtml(opts.error)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Strata</title>
<style>
body { font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; margin: 0; }
form { display: grid; gap: .6rem; width: 20rem; }
input, button { font: inherit; padding: .45rem; }
.error { color: #b00020; }
</style>
</head>
<body>
<form method="post" action="/_strata/login">
<h1>Strata</h1>
<p>Sign in with your S3 access key and secret key.</p>
${error}
<label>Access key <input name="accessKey" autocomplete="username" required autofocus></label>
<label>Secret key <input name="secretKey" type="password" autocomplete="current-password" required></label>
<input type="hidden" name="redirect" value="${escapeHtml(opts.redirect)}">
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}
