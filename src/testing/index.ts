/**
 * `flagon/testing`: what tests use, kept apart from what production loads. Its packages
 * (light-my-request, tough-cookie) are optional peer dependencies: install them as dev
 * dependencies. `TestClient` is also exported from 'flagon'.
 *
 * @example
 * import { TestClient } from 'flagon/testing';
 * const res = await new TestClient(app).get('/hello');
 */
export { TestClient } from './test-client';
export type { TestableApp, TestRequestOptions, TestResponse } from './test-client';
