// How binary values and sets read on a terminal, shared by the shell's tables and `sortkey stream`:
// binary carries a `b64:` tag (so it never passes for a string), sets are `<<…>>` as in PartiQL.

/** A binary value (base64) as shown to people. */
export function binaryText(base64: string): string {
  return `b64:${base64}`;
}

/** A set: `<<"a", "b">>`, `<<1, 2>>`, `<<b64:AAE=, b64:Ag==>>`. */
export function setText(v: { SS: string[] } | { NS: string[] } | { BS: string[] }): string {
  const members = 'SS' in v ? v.SS.map((s) => JSON.stringify(s)) : 'NS' in v ? v.NS : v.BS.map(binaryText);
  return `<<${members.join(', ')}>>`;
}
