/** Captures everything written to stdout and stderr until `restore` is called. */
export const captureOutput = () => {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  return {
    text: () => chunks.join(''),
    /** The JSON log lines written so far. */
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
};

/** Runs `act` with stdout and stderr captured, and hands back what was written while it ran. */
export const captureOutputOf = async (act: () => Promise<unknown>) => {
  const output = captureOutput();
  try {
    await act();
  } finally {
    output.restore();
  }
  return output;
};
