const keys = new WeakMap<object, number>();
let next = 0;

/**
 * A React key for an object that has no id of its own (an outcome, a result row): the same object
 * keeps its key when others before it are removed, so its row is not remounted (nor its alert read
 * out again).
 */
export function keyOf(item: object): number {
  let key = keys.get(item);
  if (key === undefined) keys.set(item, (key = ++next));
  return key;
}
