// Memoizing on identity: derived values are recomputed only when their input object changes.

/** Remembers the last input and output of a one-argument function. */
export function memoLast<A, R>(fn: (a: A) => R): (a: A) => R {
  let lastIn: A | undefined;
  let lastOut: R | undefined;
  let has = false;
  return (a) => {
    if (!has || a !== lastIn) {
      lastOut = fn(a);
      lastIn = a;
      has = true;
    }
    return lastOut as R;
  };
}

/** The same for two arguments. */
export function memoLast2<A, B, R>(fn: (a: A, b: B) => R): (a: A, b: B) => R {
  let last: { a: A; b: B; out: R } | undefined;
  return (a, b) => {
    if (!last || last.a !== a || last.b !== b) last = { a, b, out: fn(a, b) };
    return last.out;
  };
}
