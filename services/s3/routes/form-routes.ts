import { postObject } from '../commands/post-object.js';
import type { Route } from './route.js';

/** Browser-form uploads (POST Object with a signed policy). */
export const formRoutes: readonly Route[] = [
  {
    op: 'PostObject',
    method: 'POST',
    scope: 'bucket',
    contentType: 'multipart/form-data',
    selfAuthenticated: true,
    handler: postObject,
  },
];
