import { describe, expect, it } from 'vitest';
import { formatCpuMillis, formatMemoryBytes, milliValue, parseCpuMillis, parseMemoryBytes, parseQuantity, wholeValue } from './quantity.js';

const cpu = (value: string | number) => parseCpuMillis(value);
const memory = (value: string | number) => parseMemoryBytes(value);

describe('parseCpuMillis', () => {
  it.each([
    ['0.5', 500],
    ['500m', 500],
    ['200m', 200],
    ['1', 1000],
    ['1000m', 1000],
    ['2.5', 2500],
    ['.1', 100],
    ['1.', 1000],
    ['+1', 1000],
    ['1e3', 1_000_000],
    ['1E-3', 1],
    ['100000u', 100],
    ['0', 0],
  ])('%s → %i millicores', (text, milli) => {
    expect(cpu(text)).toStrictEqual({ ok: true, value: milli });
  });

  it('takes YAML numbers (cpu: 0.5, cpu: 2, cpu: 1e3) as Kubernetes does', () => {
    expect(cpu(0.5)).toStrictEqual({ ok: true, value: 500 });
    expect(cpu(2)).toStrictEqual({ ok: true, value: 2000 });
    expect(cpu(1e3)).toStrictEqual({ ok: true, value: 1_000_000 });
  });

  it('rounds finer than a millicore up, like MilliValue()', () => {
    expect(cpu('0.0001')).toStrictEqual({ ok: true, value: 1 });
    expect(cpu('1500u')).toStrictEqual({ ok: true, value: 2 });
    expect(cpu('1n')).toStrictEqual({ ok: true, value: 1 });
  });

  it.each(['', 'abc', '1x', '1 m', ' 1', '0x10', 'Infinity', 'NaN', '1e3m', '1.5.2', 'm', '1mi', '1KI', '--1', '1e', '1e1.5'])('refuses %j, quoting it', (text) => {
    const parsed = cpu(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(`got ${JSON.stringify(text)}`);
  });

  it('refuses negative amounts', () => {
    expect(cpu('-100m')).toStrictEqual({ ok: false, message: 'must be greater than or equal to 0; got "-100m"' });
  });
});

describe('parseMemoryBytes', () => {
  it('tells 1Gi (1024³) from 1G (1000³)', () => {
    expect(memory('1Gi')).toStrictEqual({ ok: true, value: 1_073_741_824 });
    expect(memory('1G')).toStrictEqual({ ok: true, value: 1_000_000_000 });
  });

  it.each([
    ['128Mi', 134_217_728],
    ['512Mi', 536_870_912],
    ['1.5Gi', 1_610_612_736],
    ['0.5G', 500_000_000],
    ['64Ki', 65_536],
    ['1k', 1000],
    ['1e3', 1000],
    ['129e6', 129_000_000],
    ['1000', 1000],
    ['1Ti', 1024 ** 4],
  ])('%s → %i bytes', (text, bytes) => {
    expect(memory(text)).toStrictEqual({ ok: true, value: bytes });
  });

  it('rounds a fraction of a byte up, like Value()', () => {
    expect(memory('1.5')).toStrictEqual({ ok: true, value: 2 });
    expect(memory('100m')).toStrictEqual({ ok: true, value: 1 });
  });

  it.each(['128MB', '128mb', '1GiB', '1 Gi', 'lots', '1Gi ', '-1Gi'])('refuses %j', (text) => {
    expect(memory(text).ok).toBe(false);
  });

  it('refuses what no node has rather than losing precision', () => {
    expect(memory('100Ei')).toStrictEqual({ ok: false, message: '"100Ei" is more memory than any node has' });
  });
});

describe('parseQuantity', () => {
  it('keeps the value exact: coefficient × 10^e × 2^b', () => {
    expect(parseQuantity('1.5Gi')).toStrictEqual({ text: '1.5Gi', coefficient: 15n, exponent10: -1, exponent2: 30 });
    expect(parseQuantity('250m')).toStrictEqual({ text: '250m', coefficient: 250n, exponent10: -3, exponent2: 0 });
    expect(parseQuantity('1e3')).toStrictEqual({ text: '1e3', coefficient: 1n, exponent10: 3, exponent2: 0 });
    // "E" alone is exa; followed by digits it is an exponent, as in apimachinery.
    expect(parseQuantity('2E')).toStrictEqual({ text: '2E', coefficient: 2n, exponent10: 18, exponent2: 0 });
    expect(parseQuantity('2E2')).toStrictEqual({ text: '2E2', coefficient: 2n, exponent10: 2, exponent2: 0 });
  });

  it('rounds up toward +∞ in MilliValue and Value, negative values included', () => {
    expect(milliValue(parseQuantity('-0.0001')!)).toBe(0);
    expect(wholeValue(parseQuantity('-1.5')!)).toBe(-1);
    expect(wholeValue(parseQuantity('1.0001')!)).toBe(2);
  });
});

describe('formatting', () => {
  it('prints millicores canonically', () => {
    expect(formatCpuMillis(250)).toBe('250m');
    expect(formatCpuMillis(1000)).toBe('1');
    expect(formatCpuMillis(1500)).toBe('1500m');
    expect(formatCpuMillis(0)).toBe('0');
    expect(() => formatCpuMillis(0.5)).toThrow(RangeError);
    expect(() => formatCpuMillis(-1)).toThrow(RangeError);
  });

  it('prints bytes with the largest exact binary suffix', () => {
    expect(formatMemoryBytes(134_217_728)).toBe('128Mi');
    expect(formatMemoryBytes(1_073_741_824)).toBe('1Gi');
    expect(formatMemoryBytes(1_610_612_736)).toBe('1536Mi');
    expect(formatMemoryBytes(1_000_000_000)).toBe('1000000000');
    expect(formatMemoryBytes(1000)).toBe('1000');
    expect(formatMemoryBytes(2048)).toBe('2Ki');
    expect(formatMemoryBytes(0)).toBe('0');
    expect(() => formatMemoryBytes(1.5)).toThrow(RangeError);
  });

  it('round-trips: what it prints parses back to the same amount', () => {
    for (const milli of [1, 250, 999, 1000, 1001, 64_000]) expect(cpu(formatCpuMillis(milli))).toStrictEqual({ ok: true, value: milli });
    for (const bytes of [1, 1023, 1024, 6 * 1024 ** 2, 1_000_000_000, 3 * 1024 ** 3]) expect(memory(formatMemoryBytes(bytes))).toStrictEqual({ ok: true, value: bytes });
  });
});
