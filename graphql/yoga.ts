/**
 * The graphql-yoga server behind /_strata/graphql: the schema, error masking,
 * GraphiQL for browsers (GET with Accept: text/html) and GraphQL over SSE for
 * subscriptions (Accept: text/event-stream), all at the same path.
 * https://the-guild.dev/graphql/yoga-server/docs
 */
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from '../shared/logger.js';
import type { GraphqlRequestInfo, GraphqlServices } from './context.js';
import { createErrorMasker } from './errors.js';
import { GRAPHQL_PATH } from './http-handler.js';
import { createStrataSchema } from './schema.js';

export type StrataYoga = YogaServerInstance<GraphqlRequestInfo, GraphqlServices>;

function yogaLogger(log: Logger) {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args: unknown[]) => log.debug(`graphql: ${text(args)}`),
    info: (...args: unknown[]) => log.debug(`graphql: ${text(args)}`),
    warn: (...args: unknown[]) => log.warn(`graphql: ${text(args)}`),
    // Errors that reach clients masked are logged by the masker, with their errorId.
    error: (...args: unknown[]) => log.debug(`graphql: ${text(args)}`),
  };
}

export function createStrataYoga(services: GraphqlServices): StrataYoga {
  return createYoga<GraphqlRequestInfo, GraphqlServices>({
    schema: createStrataSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    context: (): GraphqlServices => services,
    maskedErrors: { maskError: createErrorMasker(services.log) },
    graphiql: { title: 'Strata GraphQL', subscriptionsProtocol: 'SSE', credentials: 'same-origin' },
    // Same-origin only: the dashboard is served from this host; other sites get no CORS grant.
    cors: false,
    landingPage: false,
    multipart: false,
    logging: yogaLogger(services.log),
  });
}
