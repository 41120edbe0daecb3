// The Content-Security-Policy of Plenary's own pages (the desktop window and the bridge
// page). No remote scripts, no inline scripts, no eval, no plugins, no framing. 'self'
// covers the bridge's own ws:// origin (CSP Level 3), so no wildcard connect-src is needed.
export function appContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
    "manifest-src 'self'",
  ].join('; ');
}
