import type { Context } from "hono";

/**
 * The API reference page. The viewer (Scalar's standalone bundle, pinned and vendored by
 * web/scripts/vendor-api-viewer.mjs) is served from our own static assets, so the page works offline and no
 * third-party script runs on the origin where operators paste their admin key. The CSP allows scripts from this
 * origin only (no inline script, no eval); the viewer needs inline styles.
 */
export const VIEWER_SCRIPT = "/api-docs/scalar-api-reference-1.76.0.js";
export const VIEWER_INIT = "/api-docs/init.js";

export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const page = (specUrl: string, title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
</head>
<body>
<noscript>The API reference needs JavaScript; the raw document is at <a href="${specUrl}">${specUrl}</a>.</noscript>
<div id="app" data-openapi="${specUrl}"></div>
<script src="${VIEWER_SCRIPT}"></script>
<script src="${VIEWER_INIT}"></script>
</body>
</html>
`;

export function apiDocsPage(specUrl: string, title: string) {
  const html = page(specUrl, title);
  return (c: Context) => {
    c.header("Content-Security-Policy", API_DOCS_CSP);
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    return c.html(html);
  };
}
