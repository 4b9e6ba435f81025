import { OWN_CODE, packageOf, shares } from '../../harness/package-of';

describe('packageOf', () => {
  it.each([
    ['node_modules/axios/lib/core/Axios.js', 'axios'],
    ['../node_modules/@aws-lambda-powertools/logger/lib/esm/Logger.js', '@aws-lambda-powertools/logger'],
    ['node_modules/a/node_modules/mime-db/db.json', 'mime-db'],
    ['../src/services/http/http-client.ts', OWN_CODE],
    ['src/handler.ts', OWN_CODE],
    ['package.json', OWN_CODE],
    ['<stdin>', '<stdin>'],
  ])('%s belongs to %s', (path, expected) => {
    expect(packageOf(path)).toBe(expected);
  });
});

describe('shares', () => {
  it('sums by name, sorts largest first and gives each share of the total', () => {
    expect(
      shares([
        ['a', 1],
        ['b', 6],
        ['a', 1],
      ]),
    ).toEqual([
      { name: 'b', amount: 6, share: 0.75 },
      { name: 'a', amount: 2, share: 0.25 },
    ]);
  });
});
