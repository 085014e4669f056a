import type { Route } from './route.js';

/** Multipart operations. */
export const multipartRoutes: readonly Route[] = [];
