/** The README's marked quickstarts: each fenced block after a `<!-- quickstart:NAME -->`. */
export function quickstarts(text: string): Map<string, { lang: string; code: string }> {
  const blocks = new Map<string, { lang: string; code: string }>();
  for (const m of text.matchAll(/<!-- quickstart:([\w-]+) -->\s*```(\w+)\n([\s\S]*?)```/g)) {
    blocks.set(m[1] ?? '', { lang: m[2] ?? '', code: m[3] ?? '' });
  }
  return blocks;
}
