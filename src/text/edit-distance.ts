/** Levenshtein distance between two strings (insertions, deletions, substitutions of UTF-16 units). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate nearest to `word` (the first of equals), if within `maxDistance`; a candidate that `word`
 * begins, or that begins `word`, counts as distance 1 (« gen » → « generate »).
 */
export function nearestWord(
  word: string,
  candidates: readonly string[],
  maxDistance: number,
): string | undefined {
  let best: { word: string; d: number } | undefined;
  for (const candidate of candidates) {
    const prefix = word.length >= 3 && (candidate.startsWith(word) || word.startsWith(candidate));
    const d = prefix ? Math.min(1, editDistance(word, candidate)) : editDistance(word, candidate);
    if (!best || d < best.d) best = { word: candidate, d };
  }
  return best && best.d <= maxDistance ? best.word : undefined;
}
