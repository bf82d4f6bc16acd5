// Bounds on the shape of any call's input, checked by every transport before the channel's schema: a schema reports
// one issue per bad element, so an input of 100,000 wrong values (600 KB of JSON) cost the engine seconds and came
// back as a 10 MB message. No contract input comes near these (its longest lists hold a few hundred values).
// No zod here: the shell, the engine and the renderer may all import it.

export const INPUT_LIMITS = {
  /** Array elements and object keys, counted over the whole input. */
  values: 10_000,
  /** Objects and arrays inside one another. */
  depth: 32,
  /** Validation issues quoted in an invalid_input message (the rest are counted). */
  issuesShown: 10,
} as const;

/** Why an input is too large to validate, or null when it is within INPUT_LIMITS. */
export function inputShapeProblem(input: unknown): string | null {
  let values = 0;
  const stack: [unknown, number][] = [[input, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= INPUT_LIMITS.depth) return `nested deeper than ${INPUT_LIMITS.depth} levels`;
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    values += Array.isArray(value) ? value.length : Object.keys(value).length;
    if (values > INPUT_LIMITS.values) return `more than ${INPUT_LIMITS.values} values`;
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return null;
}

/** Schema issues as one sentence: the first INPUT_LIMITS.issuesShown of them, then how many more. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const shown = issues.slice(0, INPUT_LIMITS.issuesShown).map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`);
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}
