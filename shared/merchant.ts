/**
 * Whether the key a merchant was matched as is worth showing beside its raw name: when it
 * is more than the name's lower case (docs/merchant-identity.md). `AWS` matched as `aws`
 * says nothing; `https://api.openai.com/v1` matched as `api.openai.com`, or a name that
 * hid characters, does. The CLI and the window use the same rule.
 */
export function showMatchedKey(name: string, key: string): boolean {
  return key !== name.trim().toLowerCase();
}
