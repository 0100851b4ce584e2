import { z } from 'zod';
import { TRANSITIONS } from './machine';
import { actionRequest, applicationView, errorBody, historyEntry, payloadSchemas } from './schemas';

const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });

const errorResponses = (codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: ERROR_MEANING[c],
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

const ERROR_MEANING: Record<number, string> = {
  400: 'Bad input; the message names the field',
  401: 'Missing or wrong service token, or no X-Acting-User',
  403: 'The acting user’s role may not take this action',
  404: 'Unknown application (or not yours) or unknown action',
  409: 'expectedVersion is stale: nothing changed',
  413: 'Request body too large',
  422: 'Not allowed in the application’s current state',
};

/** The OpenAPI 3 document, generated from the same zod schemas the API validates with. */
export function buildOpenApi(): Record<string, unknown> {
  const appResponse = {
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Application' } } },
  };
  const headers = [
    {
      name: 'X-Acting-User',
      in: 'header',
      required: true,
      schema: { type: 'string' },
      description: 'Stable user id of the person acting',
    },
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 200 },
      description: 'Replays the first answer for the same key',
    },
  ];
  const paths: Record<string, unknown> = {
    '/applications': {
      post: {
        summary: 'Register: start an application (partner)',
        parameters: headers,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: json(payloadSchemas.register) } },
        },
        responses: {
          '201': { description: 'The new application', ...appResponse },
          ...errorResponses([400, 401, 403, 413]),
        },
      },
      get: {
        summary: 'List applications (partners see their own), oldest deadline first',
        parameters: [
          headers[0],
          {
            name: 'status',
            in: 'query',
            schema: { type: 'string' },
            description: 'Comma-separated statuses',
          },
          { name: 'q', in: 'query', schema: { type: 'string' }, description: 'Part of the company name' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        ],
        responses: {
          '200': {
            description: 'Applications',
            content: {
              'application/json': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Application' } },
              },
            },
          },
          ...errorResponses([400, 401]),
        },
      },
    },
    '/applications/{id}': {
      get: {
        summary: 'One application',
        parameters: [headers[0], { name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The application', ...appResponse },
          ...errorResponses([401, 404]),
        },
      },
    },
    '/applications/{id}/history': {
      get: {
        summary: 'Audit trail, oldest first',
        parameters: [headers[0], { name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'History',
            content: { 'application/json': { schema: { type: 'array', items: json(historyEntry) } } },
          },
          ...errorResponses([401, 404]),
        },
      },
    },
  };
  for (const t of TRANSITIONS) {
    if (t.action === 'register') continue;
    const body = json(actionRequest);
    (body.properties as Record<string, unknown>).payload = json(payloadSchemas[t.action]);
    paths[`/applications/{id}/actions/${t.action}`] = {
      post: {
        summary: `${t.action} (${t.who}): ${t.from.join(' | ')} → ${t.to}`,
        description: `Guide ${t.guide}.`,
        parameters: [...headers, { name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: body } } },
        responses: {
          '200': { description: 'The application as it now is', ...appResponse },
          ...errorResponses([400, 401, 403, 404, 409, 413, 422]),
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Partner onboarding workflow API', version: '1.0.0' },
    servers: [{ url: '/workflow/v1' }],
    security: [{ serviceToken: [] }],
    paths,
    components: {
      securitySchemes: {
        serviceToken: { type: 'http', scheme: 'bearer', description: 'WORKFLOW_API_TOKEN' },
      },
      schemas: { Application: json(applicationView), Error: json(errorBody) },
    },
  };
}
