import { describe, expect, it } from 'vitest';
import { classifyConnectError, UNKNOWN_ERRNO } from './connect-errors.js';

const systemError = (code: string, message: string) => Object.assign(new Error(message), { code, errno: -99, syscall: 'connect' });

describe('classifyConnectError', () => {
  it('takes Node’s error.code for each errno the diagnosis reads', () => {
    expect(classifyConnectError(systemError('EADDRNOTAVAIL', 'connect EADDRNOTAVAIL 10.0.0.2:8080 - Local (0.0.0.0:0)'))).toBe('EADDRNOTAVAIL');
    expect(classifyConnectError(systemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.2:8080'))).toBe('ECONNREFUSED');
    expect(classifyConnectError(systemError('ECONNRESET', 'read ECONNRESET'))).toBe('ECONNRESET');
    expect(classifyConnectError(systemError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.2:8080'))).toBe('ETIMEDOUT');
  });

  it('keeps an errno it does not know under its own name', () => {
    expect(classifyConnectError(systemError('EMFILE', 'connect EMFILE'))).toBe('EMFILE');
  });

  it('falls back to the errno in a message, and to "unknown"', () => {
    expect(classifyConnectError('connect EADDRNOTAVAIL 10.0.0.2:8080')).toBe('EADDRNOTAVAIL');
    expect(classifyConnectError(new Error('socket hang up'))).toBe(UNKNOWN_ERRNO);
    expect(classifyConnectError(Object.assign(new Error('x'), { code: 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION' }))).toBe(UNKNOWN_ERRNO);
    expect(classifyConnectError(undefined)).toBe(UNKNOWN_ERRNO);
  });
});
