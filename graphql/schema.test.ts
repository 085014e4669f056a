/**
 * The SDL documents every type, field, argument, input field and enum value,
 * and every root field has a resolver.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from 'graphql';
import { resolvers } from './resolvers/index.js';
import { loadTypeDefs } from './schema.js';

describe('schema.graphql', () => {
  const schema = buildSchema(loadTypeDefs());
  const types = Object.values(schema.getTypeMap()).filter(
    (t) => !isIntrospectionType(t) && !(isScalarType(t) && isSpecifiedScalarType(t)),
  );

  it('describes every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    for (const t of types) {
      if (!t.description && !['Query', 'Mutation', 'Subscription'].includes(t.name)) missing.push(t.name);
      if (isObjectType(t)) {
        for (const f of Object.values(t.getFields())) {
          if (!f.description) missing.push(`${t.name}.${f.name}`);
          for (const a of f.args) if (!a.description) missing.push(`${t.name}.${f.name}(${a.name})`);
        }
      }
      if (isInputObjectType(t)) {
        for (const f of Object.values(t.getFields())) if (!f.description) missing.push(`${t.name}.${f.name}`);
      }
      if (isEnumType(t)) {
        for (const v of t.getValues()) if (!v.description) missing.push(`${t.name}.${v.name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has a resolver for every root field', () => {
    const roots = resolvers as unknown as Record<string, Record<string, unknown>>;
    for (const root of [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!]) {
      for (const name of Object.keys(root.getFields())) {
        assert.ok(roots[root.name]?.[name], `${root.name}.${name} has no resolver`);
      }
    }
  });
});
