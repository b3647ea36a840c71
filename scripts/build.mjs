#!/usr/bin/env node
/**
 * `npm run build`: the CLI as one ESM entry plus lazily loaded chunks in dist/bundle, every
 * dependency inlined, so the published package needs no dependencies (and runs no install
 * scripts) and the wizard draws its first frame sooner than from hundreds of modules.
 */
import {rmSync} from 'node:fs';
import path from 'node:path';
import {build} from 'esbuild';
import {commonOptions, root} from './build-options.mjs';

const outdir = path.join(root, 'dist/bundle');
rmSync(outdir, {recursive: true, force: true});
await build({
	...commonOptions(false),
	entryPoints: [path.join(root, 'source/cli.ts')],
	format: 'esm',
	splitting: true,
	outdir,
	chunkNames: 'chunks/[name]-[hash]',
	// Bundled CommonJS dependencies call require() and read __dirname (ssh2's poly1305); ESM has neither.
	banner: {
		js: [
			"import {createRequire as __nmCreateRequire} from 'node:module';",
			"import {fileURLToPath as __nmFileURLToPath} from 'node:url';",
			'const require = __nmCreateRequire(import.meta.url);',
			'const __filename = __nmFileURLToPath(import.meta.url);',
			"const __dirname = __nmFileURLToPath(new URL('.', import.meta.url));",
		].join(' '),
	},
});
