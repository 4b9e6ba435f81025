import { parseConfig } from './config';

/** The container's configuration: read once at cold start; an invalid environment fails initialisation. */
export const config = parseConfig(process.env);
