// Placeholder until the KPL reader lands: the interface the forwarder relies on.
const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);

export interface UserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Buffer;
}

export class CorruptAggregateError extends Error {
  override name = 'CorruptAggregateError';
}

export const isAggregated = (data: Buffer): boolean => data.subarray(0, 4).equals(MAGIC);

export const deaggregate = (_data: Buffer): UserRecord[] => {
  throw new CorruptAggregateError('not implemented yet');
};
