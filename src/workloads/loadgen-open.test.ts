import Client from 'autocannon/lib/httpClient.js';
import { describe, expect, it } from 'vitest';

describe('the open model', () => {
  it('leaves autocannon’s client untouched until an open-model run gates it (the closed model shares the class)', async () => {
    const before = Client.prototype._doRequest;
    await import('./loadgen-open.js');
    expect(Client.prototype._doRequest).toBe(before);
  });
});
