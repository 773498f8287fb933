// Who may talk to the dashboard (docs/dashboard.md §2, Security). A random token per
// start; the browser gets it once in the URL and keeps it as an HttpOnly cookie, the API
// takes it as a Bearer header. State-changing requests (POST) need the header: a cookie
// alone is sent by the browser for any site's form, a header only by our own page. The
// Host check stops DNS rebinding: a foreign name resolving to 127.0.0.1 reaches this
// port with its own name in Host.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const COOKIE_NAME = 'gankit_dash';

/** 24 random bytes, base64url: 32 characters, safe in a URL, a cookie and a header. */
export const newToken = () => randomBytes(24).toString('base64url');

/** Whether `host` (a --host value) is a loopback address or name, reachable only from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** Whether a request's Host header names this server on a loopback name (with or without the port). */
export function hostAllowed(header: string | undefined, port: number): boolean {
  if (!header) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.toLowerCase());
  if (!match) return false;
  const [, name, portText] = match;
  if (portText !== undefined && Number(portText) !== port) return false;
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

const sameToken = (given: string, token: string) => {
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The token of the Authorization header (`Bearer T`), if any. */
function bearer(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** The token of the gankit_dash cookie, if any. */
function cookie(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE_NAME) return value.join('=');
  }
  return undefined;
}

/** Whether the request carries the token: the header for POST, the header or the cookie otherwise. */
export function authorised(request: IncomingMessage, token: string): boolean {
  const header = bearer(request);
  if (header !== undefined) return sameToken(header, token);
  if (request.method === 'POST') return false;
  const fromCookie = cookie(request);
  return fromCookie !== undefined && sameToken(fromCookie, token);
}

/** Whether `given` (the ?token= of the first visit) is the token. */
export const tokenMatches = (given: string, token: string) => sameToken(given, token);

/** The Set-Cookie value that keeps the token in the browser (not readable by scripts, not sent cross-site). */
export const tokenCookie = (token: string) => `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`;
