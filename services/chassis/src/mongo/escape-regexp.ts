/** Text to match literally inside a `$regex`: a search box must not be able to send a pattern. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
