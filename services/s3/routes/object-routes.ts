import type { Route } from './route.js';

/** Object operations. */
export const objectRoutes: readonly Route[] = [];
