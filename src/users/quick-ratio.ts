// CPython's difflib.SequenceMatcher(a=a, b=b).quick_ratio(), the similarity Django's
// UserAttributeSimilarityValidator compares with its max_similarity.

/**
 * An upper bound on how similar `a` and `b` are, from 0 to 1: twice the size of the multiset
 * intersection of their code points over their total length (1 for two empty strings). This is
 * exactly what difflib's quick_ratio() computes; its junk heuristics only concern ratio() and
 * get_matching_blocks(), which Django's validator does not call.
 */
export function quickRatio(a: string, b: string): number {
  const inB = new Map<string, number>();
  let lengthB = 0;
  for (const char of b) {
    inB.set(char, (inB.get(char) ?? 0) + 1);
    lengthB++;
  }
  let matches = 0;
  let lengthA = 0;
  for (const char of a) {
    lengthA++;
    const available = inB.get(char) ?? 0;
    if (available > 0) {
      matches++;
      inB.set(char, available - 1);
    }
  }
  const length = lengthA + lengthB;
  // Python's _calculate_ratio: 2.0 * matches / length, evaluated in the same order.
  return length === 0 ? 1 : (2 * matches) / length;
}
