import { registerHooks } from 'node:module';

/**
 * Lets CommonJS code (our sources, run through tsx) `require` packages that ship ESM only, like Middy 7: a package
 * whose exports have no `require` entry is resolved again with the `import` condition, and Node 24 loads the ES
 * module through `require`. The esbuild bundle and Jest (moduleNameMapper) solve the same problem their own way.
 */
let registered = false;

export const allowRequireOfEsmOnlyPackages = (): void => {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve: (specifier, context, nextResolve) => {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
        return nextResolve(specifier, { ...context, conditions: [...(context.conditions ?? []), 'import'] });
      }
    },
  });
};
