// The bounds every source and agent passes (protocol.ts, withinBounds): how deep and how large
// a value from the other side may be. Their edges, exactly, and a hostile value's cost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DEPTH, MAX_SOURCE_SIZE, withinBounds } from '../../src/core/protocol.ts';

/** Objects nested `levels` deep, the innermost holding a string. */
const nested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = { k: value };
  return value;
};

describe('withinBounds', () => {
  it('takes objects nested MAX_DEPTH levels deep, and refuses one more level', () => {
    assert.equal(withinBounds(nested(MAX_DEPTH)), true);
    assert.equal(withinBounds(nested(MAX_DEPTH + 1)), false);
    // Arrays nest like objects.
    let list: unknown = [];
    for (let i = 0; i < MAX_DEPTH; i++) list = [list];
    assert.equal(withinBounds(list), false);
    assert.equal(withinBounds((list as unknown[])[0]), true);
  });

  it('counts every string, key and other value toward the size, up to MAX_SOURCE_SIZE exactly', () => {
    // One key of 1 character (+1) and a string: 2 + its length.
    assert.equal(withinBounds({ a: 'x'.repeat(MAX_SOURCE_SIZE - 2) }), true);
    assert.equal(withinBounds({ a: 'x'.repeat(MAX_SOURCE_SIZE - 1) }), false);
    // Numbers, booleans and null count 4 each.
    const numbers = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`n${String(i).padStart(4, '0')}`, i]));
    // 2000 keys of 5 characters (+1) and 2000 values of 4: 20,000 > 16,384.
    assert.equal(withinBounds(numbers), false);
    assert.equal(withinBounds(Object.fromEntries(Object.entries(numbers).slice(0, 1000))), true);
  });

  it('takes plain values and the shapes the service sends', () => {
    for (const value of ['', 'text', 0, true, null, undefined, [], {}]) assert.equal(withinBounds(value), true);
    assert.equal(withinBounds({ type: 'product', source: 'p-1', data: { name: 'Laptop', url: 'https://shop.example/p/1', tags: ['a', 'b'] } }), true);
  });

  it('counts only own keys: what a prototype carries is not the value', () => {
    const inherited = Object.create({ big: 'x'.repeat(MAX_SOURCE_SIZE * 2) }) as object;
    assert.equal(withinBounds(inherited), true);
  });

  it('stops at the bound: a 1,000,000-level value is refused at its ninth level, a 1,000,000-key one past 16,384 characters', () => {
    let deep: unknown = 'end';
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    assert.equal(withinBounds(deep), false);
    const wide: Record<string, string> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = 'v';
    assert.equal(withinBounds(wide), false);
    // A custom limit: the same value within a larger one.
    assert.equal(withinBounds(nested(20), 21), true);
    assert.equal(withinBounds({ a: 'x'.repeat(100) }, MAX_DEPTH, 50), false);
  });
});
