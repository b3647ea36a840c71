#!/bin/sh
':' //; exec node -- "$0" "$@"
// The line above is read by sh and by Node alike. sh runs it: it starts Node with `--` before
// this script, because Node 20 reads `--env-file <file>` from anywhere on its command line, even
// after the script's name, and exits with "node: <file>: not found" before netmigrate runs;
// after `--` every argument is netmigrate's (compose's own `--env-file` among them). Node reads
// it as a string and a comment. Run as `node bin/netmigrate.js`, Node still sees the flag: run
// the bin itself (`netmigrate …`, `npx netmigrate …`), as npm installs it.
//
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
