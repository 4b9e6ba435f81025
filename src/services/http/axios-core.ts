/**
 * axios without its Node.js adapter: the forwarder sends through its own (keep-alive-adapter.ts), and axios' Node
 * build brings that adapter's follow-redirects, proxy-from-env and form-data with mime-db's table of MIME types
 * along, to be loaded at every cold start for code that never runs. The build axios publishes for other
 * platforms is the same core (config merging, headers, errors, adapters) without them, and runs on Node.js as is.
 */
export { Axios, AxiosError, isAxiosError } from 'axios/dist/browser/axios.cjs';
