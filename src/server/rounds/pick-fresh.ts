/**
 * Picking from a finite set (the quiz pool, a seed bank) what a player has not been shown: uniformly among
 * the unseen, and once everything was seen, what they saw longest ago. A few random draws settle the usual
 * case (a large set, a short memory) without walking the whole set.
 */

/** Random draws tried before the exhaustive pass. */
const DRAWS = 8;

export function pickFresh<T>(items: readonly T[], age: (item: T) => number, below: (n: number) => number): T | null {
  if (items.length === 0) return null;
  for (let draw = 0; draw < DRAWS; draw++) {
    const item = items[below(items.length)] as T;
    if (age(item) === Number.POSITIVE_INFINITY) return item;
  }
  const ages = items.map(age);
  const unseen = items.filter((_, i) => ages[i] === Number.POSITIVE_INFINITY);
  if (unseen.length > 0) return unseen[below(unseen.length)] as T;
  let oldest = 0;
  for (let i = 1; i < items.length; i++) if ((ages[i] as number) > (ages[oldest] as number)) oldest = i;
  return items[oldest] as T;
}
