import type { Route } from './route.js';

/** Browser-form uploads (POST Object with a signed policy). */
export const formRoutes: readonly Route[] = [];
