// Which links the desktop app hands to the system browser: documentation only. A page that asks to
// open anything else (another scheme, a host not on the list) is refused, so a value rendered in
// the studio can never make the app launch an arbitrary URL or program.

/** Hosts whose pages the studio links to (AWS's DynamoDB docs, the project's home). */
export const DOCUMENTATION_HOSTS: readonly string[] = [
  'docs.aws.amazon.com',
  'aws.amazon.com',
  'github.com',
  'sortkey.dev',
];

export function isDocumentationLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  return DOCUMENTATION_HOSTS.includes(parsed.hostname.toLowerCase());
}
