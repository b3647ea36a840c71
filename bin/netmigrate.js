#!/usr/bin/env node
// The bundled CLI (`npm run build`, also run by `npm pack` through `prepack`, so the package
// ships it built and installs with no scripts): one file per entry instead of hundreds of
// modules, every dependency inlined, so the wizard draws its first frame sooner.
import('../dist/bundle/cli.js').catch((error) => {
	if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/cli.js')) {
		console.error('netmigrate is not built yet: run `npm run build` in its folder.');
		process.exit(2);
	}
	throw error;
});
