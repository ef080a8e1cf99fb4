import { describe, expect, it } from 'vitest';
import { parseEnvoyTerminations, parseHaproxyTerminations } from './terminations.js';

const haproxyLine = (tsc: string, status = 503) =>
  `10.89.0.3:41234 [30/Nov/2026:12:00:00.123] outbound original_destination/original 0/0/-1/-1/1 ${status} 217 - - ${tsc} 1/1/0/0/3 0/0 "GET / HTTP/1.1"`;

describe('parseHaproxyTerminations', () => {
  it('counts termination states by their first two characters and keeps a few lines', () => {
    const lines = [haproxyLine('SC--'), haproxyLine('SC--'), haproxyLine('sH--', 504), haproxyLine('CD--', -1)];
    expect(parseHaproxyTerminations(lines)).toEqual({ counts: { SC: 2, sH: 1, CD: 1 }, lines: [haproxyLine('SC--'), haproxyLine('sH--', 504), haproxyLine('CD--', -1)] });
  });

  it('does not count a normal end, and keeps alerts without counting them', () => {
    const alert = '[ALERT]    (8) : Connect() failed for backend original_destination: no free ports.';
    expect(parseHaproxyTerminations([haproxyLine('----', 200), alert, 'Proxy inbound started.'])).toEqual({ counts: {}, lines: [alert] });
  });

  it('keeps at most 5 distinct lines', () => {
    const lines = Array.from({ length: 20 }, (_, index) => haproxyLine('SC--').replace('41234', String(40000 + index)));
    expect(parseHaproxyTerminations(lines).lines).toHaveLength(5);
    expect(parseHaproxyTerminations(lines).counts).toEqual({ SC: 20 });
  });
});

describe('parseEnvoyTerminations', () => {
  it('counts each response flag, comma-separated flags once each', () => {
    const lines = [
      '[sb-access] 504 UT - 10.89.0.5:8080',
      '[sb-access] 503 UF,URX delayed_connect_error:_Connection_refused 10.89.0.5:8080',
      '[2026-11-30 12:00:00.000][1][info] unrelated',
      '[sb-access] 0 DC - -',
      '[sb-access] 500 - - 127.0.0.1:8080',
    ];
    expect(parseEnvoyTerminations(lines)).toEqual({ counts: { UT: 1, UF: 1, URX: 1, DC: 1, '5xx': 1 }, lines: [lines[0], lines[1], lines[3], lines[4]] });
  });

  it('is empty for a healthy trial', () => {
    expect(parseEnvoyTerminations(['[2026-11-30][info] starting workers'])).toEqual({ counts: {}, lines: [] });
  });
});
