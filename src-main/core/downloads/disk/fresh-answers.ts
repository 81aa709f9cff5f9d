/** How long one answer per key is reused. */
export const FRESH_MS = 1000;

/**
 * Reuses each key's answer (a folder's free space, a folder made) for a second, so a thousand small files in
 * one folder do not each ask the disk again. A failed answer is not kept: the next caller asks again.
 */
export function freshAnswers<T>(
  ask: (key: string) => Promise<T>,
  now: () => number = Date.now,
): (key: string) => Promise<T> {
  const answers = new Map<string, { at: number; answer: Promise<T> }>();
  return (key) => {
    const known = answers.get(key);
    if (known && now() - known.at < FRESH_MS) return known.answer;
    const answer = ask(key);
    answers.set(key, { at: now(), answer });
    answer.catch(() => {
      if (answers.get(key)?.answer === answer) answers.delete(key);
    });
    return answer;
  };
}
