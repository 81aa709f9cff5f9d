/** Checks on the raw text of one id, and a safe way to show a rejected input back to the user. */

export const MAX_ID_LENGTH = 2048;
const ECHO_LENGTH = 200;

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why trimmed text cannot be an id, or undefined when it is plain printable ASCII of a sane length.
 * Look-alike letters (Cyrillic А), full-width digits and zero-width characters are refused, never mapped:
 * silently "fixing" them could fetch a different file than the one the user meant.
 */
export function textProblem(text: string): string | undefined {
  if (text.length === 0) {
    return 'Empty: give an accession (4DNFI…), a drs:// URI, or a portal or DRS link';
  }
  if (text.length > MAX_ID_LENGTH) {
    return `Too long (${text.length} characters): an id or link has at most ${MAX_ID_LENGTH} characters`;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return `Contains a control character (${hex(code)}) at position ${i + 1}: ids and links are plain text on one line`;
    }
    if (code > 0x7e) {
      const point = text.codePointAt(i) ?? code;
      return (
        `Contains a non-ASCII character (${hex(point)}) at position ${i + 1}: accessions and links are plain ` +
        'ASCII. It may be a look-alike letter, a full-width digit or an invisible character copied from a ' +
        'document: type it again'
      );
    }
    if (code === 0x20) {
      return 'Contains a space: put one id per line, or separate ids with commas';
    }
  }
  return undefined;
}

/** `//user:password@` in any link (or `user:password@host` with no scheme): never shown, logged or stored. */
const USERINFO_RE = /\/\/[^/\s@?#]*@/g;
const BARE_USERINFO_RE = /(^|[\s,;])[^\s/@:,;]+:[^\s/@,;]*@/g;
/** Query parameters that carry signatures or tokens (presigned storage links, API keys). */
const SECRET_PARAM_RE =
  /([?&;](?:x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig|token|access_token|secret|password|key)=)[^&#;\s]*/gi;

/** A credential cut off by the window's end (`//user:pa`, `user:pa`) has no "@" left to match: drop it. */
const CUT_USERINFO_RE = /(\/\/|^|[\s,;])[^\s/@?#]*$/;

/**
 * Text safe to show back: credentials and signatures redacted, then cut to a few hundred characters so a
 * 10 MB line is not echoed whole. Only a window is redacted (linear in the echo, not the input); whatever
 * the window's end cuts in half is dropped, so no part of a secret survives.
 */
export function echoInput(text: string): string {
  const head = text.length > ECHO_LENGTH * 4 ? text.slice(0, ECHO_LENGTH * 4) : text;
  let redacted = head
    .replace(USERINFO_RE, '//***@')
    .replace(BARE_USERINFO_RE, '$1***@')
    .replace(SECRET_PARAM_RE, '$1***');
  if (head.length === text.length && redacted.length <= ECHO_LENGTH) return redacted;
  if (head.length < text.length) redacted = redacted.replace(CUT_USERINFO_RE, '$1');
  return `${redacted.slice(0, ECHO_LENGTH)}… (${text.length} characters)`;
}
