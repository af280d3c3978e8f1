import { useEffect, useLayoutEffect } from 'react';

/**
 * useLayoutEffect in a page and in React Native: it runs, and a state update it makes
 * re-renders, in the same task as the commit, so no socket event (each a task of its own) can
 * come between a client being made and its listeners subscribing. On the server, where it would
 * warn (React 18) and never run, useEffect. React Native has no `document` (as react-redux
 * tells it: `navigator.product`).
 */
export const useTaskEffect =
  typeof document !== 'undefined' ||
  (typeof navigator !== 'undefined' && (navigator as { product?: string }).product === 'ReactNative')
    ? useLayoutEffect
    : useEffect;
