import { median, summarize } from '../../report/stats';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the input order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3, 3, 1, 10, 7])).toBe(3);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder the caller array', () => {
    const values = [3, 1, 2];

    median(values);

    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses no values and non-finite values with a message saying so', () => {
    expect(() => median([])).toThrow('median of no values');
    expect(() => median([1, Number.NaN])).toThrow('non-finite');
  });
});

describe('summarize', () => {
  it('gives median, minimum, maximum and the number of runs', () => {
    expect(summarize([120, 80, 100, 95, 300])).toEqual({ median: 100, min: 80, max: 300, runs: 5 });
  });
});
