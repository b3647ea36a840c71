#!/usr/bin/env node
// The compiled CLI (`npm run build`, also run by `npm ci`/`npm install` through `prepare`).
import('../dist/source/cli.js').catch((error) => {
	if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/source/cli.js')) {
		console.error('netmigrate is not built yet: run `npm run build` in its folder.');
		process.exit(2);
	}
	throw error;
});
