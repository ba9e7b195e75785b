/**
 * The npm package that carries the Public Suffix List (used by public-suffix.ts). Apart, without the list: the
 * rules' version records this name and its version, and the batch's workers load that module, not the list.
 */
export const PUBLIC_SUFFIX_PACKAGE = "tldts";
