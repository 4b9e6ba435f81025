/**
 * The shard an event ID names: Lambda writes a Kinesis record's eventID as `<shard id>:<sequence number>`, and the
 * forwarder adds `:<index>` for a user record of a KPL aggregate. Empty for an ID without a shard.
 */
export const shardOfEventId = (eventId: string): string => {
  const colon = eventId.indexOf(':');
  return colon < 0 ? '' : eventId.slice(0, colon);
};
