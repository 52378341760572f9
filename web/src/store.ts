/** A value the whole UI re-renders on: the language, the admin session. Small on purpose. */
export interface Store<T> {
  value: T;
  subscribe(fn: () => void): () => void;
}

export function signal<T>(initial: T): Store<T> {
  let v = initial;
  const subs = new Set<() => void>();
  return {
    get value() {
      return v;
    },
    set value(next: T) {
      if (Object.is(next, v)) return;
      v = next;
      for (const fn of [...subs]) fn();
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
