import type { KnowledgeEntry } from './knowledge';

/**
 * Which sentences of the source guide no knowledge entry carries (in its text or headings).
 * Sentence level, not line level, because one guide line may be split between two entries
 * (2.4's "signed" line ends with the ACPN login-error sentence, which has its own entry).
 */
export function uncoveredGuideSentences(guide: string, entries: readonly KnowledgeEntry[]): string[] {
  const haystacks = entries.map((e) => squash([e.text, ...e.headings].join('\n')));
  return guideSentences(guide).filter((sentence) => !haystacks.some((h) => h.includes(squash(sentence))));
}

export function guideSentences(guide: string): string[] {
  return guide
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .flatMap((line) => line.split(/(?<=[.!?\]])\s+(?=[A-Z[])/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Whitespace-insensitive comparison: entries may re-wrap a line. */
function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
