/**
 * The one form host names are compared in, wherever they come from: DNS, TLS and QUIC server names, HTTP
 * Host, certificates, detection settings and indicator feeds. Two spellings of one name ("Example.COM.",
 * "example.com") must meet, so every layer that keeps or compares a name puts it through this function and
 * no other. It lives with the decoders, the lowest layer that reads names, so every layer above may use it.
 */

/** Without surrounding blanks, in lower case, without the root's trailing dot(s). */
export function normaliseName(name: string): string {
  const n = name.trim().toLowerCase();
  let end = n.length;
  while (end > 0 && n.charCodeAt(end - 1) === 0x2e) end--;
  return end === n.length ? n : n.slice(0, end);
}
