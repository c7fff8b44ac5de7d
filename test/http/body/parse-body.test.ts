import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import type { BodyPlan } from '../../../src/http/body/body-plan';
import { parseBody, type ParsedBody } from '../../../src/http/body/parse-body';
import { Request } from '../../../src/http/request';

const plan: BodyPlan = {
  maxContentLength: 1024,
  maxFormParts: 100,
  maxFormMemorySize: 1024,
  maxFileSize: 1024,
  maxFileCount: 1,
  jsonMaxDepth: 32,
  names: {
    maxContentLength: 'MAX_CONTENT_LENGTH',
    maxFormParts: 'MAX_FORM_PARTS',
    maxFormMemorySize: 'MAX_FORM_MEMORY_SIZE',
    maxFileSize: 'MAX_FILE_SIZE',
    maxFileCount: 'MAX_FILE_COUNT',
    jsonMaxDepth: 'JSON_MAX_DEPTH',
  },
  uploads: new Map(),
  consumes: undefined,
  tempDir: () => tmpdir(),
};

function requestWith(contentType: string, body: string): Request {
  const raw = new IncomingMessage(new Socket());
  raw.method = 'POST';
  raw.url = '/';
  raw.headers = {
    host: 'localhost',
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
  };
  raw.push(body);
  raw.push(null);
  return new Request(raw, 'test-1', {
    buildUrl: () => '/',
    trustProxy: false,
    maxContentLength: plan.maxContentLength,
  });
}

const jsonValue = (body: ParsedBody): unknown => (body.kind === 'json' ? body.value : undefined);

describe('parseBody', () => {
  it('reads and parses a body once for every consumer of the request', async () => {
    const req = requestWith('application/json', '{"title":"Hello","tags":["a"]}');
    const [first, second] = await Promise.all([parseBody(req, plan), parseBody(req, plan)]);
    expect(jsonValue(first)).toEqual({ title: 'Hello', tags: ['a'] });
    // One parse: every consumer gets the same value.
    expect(jsonValue(second)).toBe(jsonValue(first));
  });

  it('parses url-encoded form fields', async () => {
    const req = requestWith('application/x-www-form-urlencoded', 'title=Hi&body=there');
    const body = await parseBody(req, plan);
    expect(body.kind === 'form' ? { ...body.fields } : undefined).toEqual({
      title: 'Hi',
      body: 'there',
    });
  });

  it('rejects every consumer of malformed JSON with the 400', async () => {
    const req = requestWith('application/json', '{"title":');
    const results = await Promise.allSettled([parseBody(req, plan), parseBody(req, plan)]);
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: { code: 'FLAGON_BODY_INVALID_JSON', status: 400 },
      });
    }
  });

  it('rejects a Content-Type it does not parse with a 415 naming the type', async () => {
    const req = requestWith('application/xml', '<title/>');
    await expect(parseBody(req, plan)).rejects.toMatchObject({
      code: 'FLAGON_BODY_UNSUPPORTED_TYPE',
      status: 415,
      message: expect.stringContaining('application/xml') as string,
    });
  });
});
