import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.js';

describe('Secret', () => {
  it('never prints its value', () => {
    const s = Secret.of('hunter2');

    expect(String(s)).toBe('[secret]');
    expect(JSON.stringify({ s })).toBe('{"s":"[secret]"}');
    expect(inspect(s)).toBe('[secret]');
    expect(`${s}`).not.toContain('hunter2');
    expect(s.reveal()).toBe('hunter2');
  });

  it('compares by value', () => {
    expect(Secret.of('a').equals(Secret.of('a'))).toBe(true);
    expect(Secret.of('a').equals(Secret.of('b'))).toBe(false);
    expect(Secret.of('a').equals(Secret.of('ab'))).toBe(false);
  });
});
