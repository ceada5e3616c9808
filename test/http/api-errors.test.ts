// ApiError: an answer, not a fault — no stack trace is captured, and the global limit is left alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, NotAuthenticated, ValidationError } from '../../src/errors.js';

describe('ApiError', () => {
  it('carries no stack frames, keeps its name and message, and restores Error.stackTraceLimit', () => {
    const before = Error.stackTraceLimit;
    const error = new NotAuthenticated();
    assert.equal(Error.stackTraceLimit, before);
    assert.ok(error instanceof ApiError && error instanceof Error);
    assert.equal(error.name, 'NotAuthenticated');
    assert.equal(error.message, 'Authentication credentials were not provided.');
    assert.doesNotMatch(error.stack ?? '', /\n\s+at /);
    assert.match(new Error('a fault').stack ?? '', /\n\s+at /, 'other errors still have stacks');
    assert.equal(new ValidationError({ name: ['This field is required.'] }).statusCode, 400);
  });
});
