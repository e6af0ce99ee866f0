import { describe, expect, it } from 'vitest';
import { ConfigError, findDependencyCycles, syncsInDependencyOrder } from '../../src/config/index.ts';

const sync = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });
const names = (syncs: { name: string }[]) => syncs.map((s) => s.name);

describe('syncsInDependencyOrder', () => {
  it('puts dependencies first and otherwise orders by name, whatever the input order', () => {
    const syncs = [sync('zendesk-users', 'hubspot-contacts'), sync('hubspot-contacts', 'hubspot-companies'), sync('alpha'), sync('hubspot-companies'), sync('beta', 'alpha')];
    const expected = ['alpha', 'beta', 'hubspot-companies', 'hubspot-contacts', 'zendesk-users'];
    expect(names(syncsInDependencyOrder(syncs))).toEqual(expected);
    expect(names(syncsInDependencyOrder([...syncs].reverse()))).toEqual(expected);
  });

  it('lets a sync wait for the latest of several dependencies', () => {
    const order = names(syncsInDependencyOrder([sync('a', 'c', 'b'), sync('b', 'd'), sync('c'), sync('d')]));
    expect(order).toEqual(['c', 'd', 'b', 'a']);
  });

  it('ignores dependencies on syncs it was not given', () => {
    expect(names(syncsInDependencyOrder([sync('b', 'elsewhere'), sync('a', 'b')]))).toEqual(['b', 'a']);
  });

  it('throws a ConfigError naming the cycle', () => {
    const cyclic = [sync('a', 'b'), sync('b', 'c'), sync('c', 'a'), sync('d')];
    expect(() => syncsInDependencyOrder(cyclic)).toThrow(ConfigError);
    expect(() => syncsInDependencyOrder(cyclic)).toThrow('Syncs depend on each other in a cycle: a → b → c → a.');
  });
});

describe('findDependencyCycles', () => {
  it('finds each cycle once, including a sync depending on itself', () => {
    const cycles = findDependencyCycles([sync('a', 'b'), sync('b', 'a'), sync('c', 'c'), sync('d', 'a'), sync('e', 'f'), sync('f')]);
    expect(cycles).toEqual([
      ['a', 'b', 'a'],
      ['c', 'c'],
    ]);
  });

  it('finds none in a diamond', () => {
    expect(findDependencyCycles([sync('top', 'left', 'right'), sync('left', 'base'), sync('right', 'base'), sync('base')])).toEqual([]);
  });
});
