import { useEffect, useLayoutEffect } from 'react';

/**
 * useLayoutEffect in a page: it runs, and a state update it makes re-renders, in the same task
 * as the commit, so no socket event (each a task of its own) can come between a client being
 * made and its listeners subscribing. On the server, where it would warn (React 18) and never
 * run, useEffect.
 */
export const useTaskEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;
