/**
 * The executable schema: schema.graphql (the documented SDL, read from the
 * source tree next to this module's compiled location) and the resolvers.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSchema } from 'graphql-yoga';
import type { GraphqlContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** dist/graphql/schema.js → graphql/schema.graphql (the build does not copy it). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../graphql/schema.graphql', import.meta.url));

export function loadTypeDefs(file = SCHEMA_FILE): string {
  return fs.readFileSync(file, 'utf8');
}

export function createStrataSchema(typeDefs = loadTypeDefs()) {
  return createSchema<GraphqlContext>({ typeDefs, resolvers });
}
