/**
 * The console's page: nothing but the script that draws it, under a policy that lets only
 * the relay's own scripts, styles and requests run (no inline script or style, no other
 * site, no framing).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The page at `<base>/console`. */
export function consolePage(base: string): string {
  const root = escapeAttribute(`${base}/console`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>Calls · console</title>
<link rel="icon" href="${root}/icon.svg">
<link rel="stylesheet" href="${root}/console.css">
<script type="module" src="${root}/console.js"></script>
</head>
<body>
<mt-console root="${root}"></mt-console>
<noscript>The console needs JavaScript.</noscript>
</body>
</html>
`;
}

/** The page's icon: a handset on the console’s blue, so the browser asks the relay for no other file. */
export const CONSOLE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#1f5fc4"/><path fill="#fff" d="M11.6 8.5l2.2 3.9-1.6 1.6a9.5 9.5 0 0 0 5.8 5.8l1.6-1.6 3.9 2.2-.8 3a2 2 0 0 1-2.1 1.4A14.5 14.5 0 0 1 7.2 11.4a2 2 0 0 1 1.4-2.1z"/></svg>
`;

/** The page's own style: the document around the console's element. */
export const CONSOLE_CSS = `:root { color-scheme: light dark; }
html, body { margin: 0; min-height: 100%; }
body { background: Canvas; color: CanvasText; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
@media (prefers-color-scheme: dark) { body { background: #14161a; color: #e8eaed; } }
`;
