/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 keeps a slice of a long string
 * (a block of the route sheet's markup, a word of a field) as a view of the whole: a cache that remembers
 * the slice keeps the whole text alive (measured: the route sheet's caches held hundreds of ~47 KB markups).
 * Called only when a text is remembered beyond its document, so a cache hit costs nothing.
 */
export function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
