import type { Route } from './route.js';

/** Bucket operations. */
export const bucketRoutes: readonly Route[] = [];
