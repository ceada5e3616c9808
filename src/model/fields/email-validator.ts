// Django's EmailValidator (django/core/validators.py), as EmailField runs it.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

// Python's re with re.IGNORECASE (the quoted-string form allows control characters); `\Z` is the end of the text.
const USER =
  // eslint-disable-next-line no-control-regex
  /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\u0001-\u0008\u000b\u000c\u000e-\u001f!#-[\]-\u007f]|\\[\u0001-\u0009\u000b\u000c\u000e-\u007f])*")$/iu;
// A label may not be longer than 63 characters (RFC 1034); the top-level label may not end in "-".
const DOMAIN = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)$/iu;
const LITERAL = /^\[([A-F0-9:.]+)\]$/iu;
const DOMAIN_ALLOWLIST: readonly string[] = ['localhost'];

function validDomainPart(domain: string): boolean {
  if (DOMAIN.test(domain)) return true;
  const literal = LITERAL.exec(domain);
  return literal !== null && (isIPv4(literal[1]!) || isIPv6(literal[1]!));
}

/**
 * EmailValidator.__call__: not empty, has `@`, at most 320 characters; the part before the last `@`
 * matches the dot-atom or quoted-string user syntax; the domain is `localhost`, a domain name, an
 * `[address literal]`, or an internationalised name whose punycode is a domain name.
 */
export function isDjangoEmail(value: string): boolean {
  if (value === '' || !value.includes('@') || [...value].length > 320) return false;
  const at = value.lastIndexOf('@');
  const user = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!USER.test(user)) return false;
  if (DOMAIN_ALLOWLIST.includes(domain) || validDomainPart(domain)) return true;
  // Python's idna codec leaves an ASCII domain as it is, and never percent-decodes (the URL host
  // parser behind domainToASCII does): only a non-ASCII domain without `%` can become valid here.
  if ([...domain].every((ch) => ch.charCodeAt(0) < 0x80) || domain.includes('%')) return false;
  const ascii = domainToASCII(domain);
  return ascii !== '' && validDomainPart(ascii);
}
