// Injected into the single executable's CommonJS bundle as `import.meta.url` (build-sea.mjs).
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
