/**
 * Prints one reliability figure as a line of the test output, so that RELIABILITY.md can be
 * checked against what the suite itself measured.
 */
export function reportReliability(entry: { case: string; did: string; checked: string; result: string }): void {
  console.log(`[reliability] ${entry.case} | ${entry.did} | ${entry.checked} | ${entry.result}`);
}
