// axios' browser build carries no types of its own: they are axios' types.
declare module 'axios/dist/browser/axios.cjs' {
  export * from 'axios';
}
